package pql.ingest.app;

import com.google.protobuf.Timestamp;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import pql.common.telemetry.EnvelopeTracing;
import pql.eventstore.AppendRequest;
import pql.eventstore.AppendResult;
import pql.eventstore.EventStore;
import pql.eventstore.EventStoreOverloadedException;
import pql.eventstore.EventStoreUnavailableException;
import pql.eventstore.ExpectedVersion;
import pql.eventstore.StreamIds;
import pql.ingest.validation.EventValidator;
import pql.ingest.validation.Violation;
import pql.v1.Event;
import pql.v1.EventEnvelope;
import pql.v1.TraceContext;

/**
 * Ingests the events of one call: validates each, encodes the valid ones as envelopes, and
 * appends them with ONE store call (group commit: one durable write for the whole batch), one
 * append request per account stream. The returned future completes only once the store says the
 * events are durable; it maps each stored or duplicate event back to its request index.
 *
 * <p>Failures of the whole call: {@link IngestOverloadedException} (no room in the budget within the
 * admission wait, store queue full)
 * and {@link IngestUnavailableException} (store down). A bad item is never one of them: it is
 * answered {@link ItemResult.Rejected} (or {@link ItemResult.IdReused} when its id is taken by
 * other content) and the good items of its batch are stored.
 */
public final class IngestUseCase {

    static final AttributeKey<Long> EVENTS = AttributeKey.longKey("pql.ingest.events");
    static final AttributeKey<Long> STREAMS = AttributeKey.longKey("pql.ingest.streams");
    static final AttributeKey<Long> ACCEPTED = AttributeKey.longKey("pql.ingest.accepted");
    static final AttributeKey<Long> DUPLICATES = AttributeKey.longKey("pql.ingest.duplicates");
    static final AttributeKey<Long> REJECTED = AttributeKey.longKey("pql.ingest.rejected");

    /** The exchange rates' key among a batch's stream groups, which are keyed by account id. */
    private static final String EXCHANGE_RATE_GROUP = "\0" + StreamIds.EXCHANGE_RATES;

    private final EventStore store;
    private final EventValidator validator;
    private final InFlightBudget budget;
    private final IngestMetrics metrics;
    private final Tracer tracer;
    private final Clock clock;
    private final Executor completions;

    /**
     * @param completions where results are mapped and answered, so the store's writer thread only
     *     completes futures
     */
    public IngestUseCase(EventStore store, EventValidator validator, InFlightBudget budget, IngestMetrics metrics,
            Tracer tracer, Clock clock, Executor completions) {
        this.store = store;
        this.validator = validator;
        this.budget = budget;
        this.metrics = metrics;
        this.tracer = tracer;
        this.clock = clock;
        this.completions = completions;
    }

    /** Validates, reserves room in the budget (or refuses the call) and appends; the call arrives now. */
    public CompletableFuture<BatchOutcome> ingest(List<Event> events) {
        return ingest(IncomingEvents.of(events));
    }

    /** As {@link #ingest(List)}, reusing the payload bytes the transport kept. */
    public CompletableFuture<BatchOutcome> ingest(IncomingEvents events) {
        return ingest(events, System.nanoTime());
    }

    /**
     * As {@link #ingest(List)}, reusing the payload bytes the transport kept. The call waits for
     * room in the budget at most the budget's admission wait counted from {@code arrivedAtNanos}
     * ({@link System#nanoTime}), then is refused whole ({@link IngestOverloadedException}).
     */
    public CompletableFuture<BatchOutcome> ingest(IncomingEvents events, long arrivedAtNanos) {
        PreparedBatch batch = prepare(events);
        if (batch.storableEvents() == 0) {
            return CompletableFuture.completedFuture(recorded(batch.outcomeWithoutAppend()));
        }
        return admit(batch, arrivedAtNanos).thenCompose(lease -> append(batch, lease));
    }

    /**
     * Room in the budget for a prepared batch: at once, after a wait in arrival order, or an
     * {@link IngestOverloadedException} once the batch has waited the admission wait since
     * {@code arrivedAtNanos}.
     */
    public CompletableFuture<InFlightBudget.Lease> admit(PreparedBatch batch, long arrivedAtNanos) {
        if (!budget.canEverFit(batch.storableEvents(), batch.storableBytes())) {
            metrics.refused(IngestMetrics.Refusal.OVERLOADED);
            return CompletableFuture.failedFuture(new IngestOverloadedException("the call (" + batch.storableEvents()
                    + " events / " + batch.storableBytes() + " bytes) is larger than the whole ingest buffer ("
                    + budget.maxEvents() + " events / " + budget.maxBytes() + " bytes): send it in smaller parts", null));
        }
        return budget.acquire(batch.storableEvents(), batch.storableBytes(), arrivedAtNanos).whenComplete((lease, error) -> {
            if (error != null) {
                metrics.refused(IngestMetrics.Refusal.OVERLOADED);
            }
        });
    }

    /**
     * Validates and encodes, in the calling thread and trace context. Cheap to drop: nothing is
     * reserved or written.
     */
    public PreparedBatch prepare(List<Event> events) {
        return prepare(IncomingEvents.of(events));
    }

    /** As {@link #prepare(List)}, reusing the payload bytes the transport kept. */
    public PreparedBatch prepare(IncomingEvents events) {
        Instant now = clock.instant();
        Timestamp recordedAt = Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build();
        Context context = Context.current();
        TraceContext traceContext = EnvelopeTracing.capture(context);
        ItemResult[] results = new ItemResult[events.size()];
        // keyed by account id, the stream id made once per group rather than once per event
        Map<String, PreparedBatch.StreamGroup> groups = new LinkedHashMap<>();
        int storable = 0;
        long bytes = 0;
        for (int i = 0; i < results.length; i++) {
            List<Violation> undecodable = events.undecodable(i);
            if (!undecodable.isEmpty()) {
                results[i] = new ItemResult.Rejected(undecodable);
                continue;
            }
            Event event = events.event(i);
            List<Violation> violations = validator.validate(event, now);
            if (!violations.isEmpty()) {
                results[i] = new ItemResult.Rejected(violations);
                continue;
            }
            EventEnvelope envelope = Envelopes.of(event, events.payload(i), recordedAt, traceContext);
            String key = groupOf(event);
            PreparedBatch.StreamGroup group = groups.get(key);
            if (group == null) {
                group = new PreparedBatch.StreamGroup(streamOf(event));
                groups.put(key, group);
            }
            group.add(i, envelope);
            storable++;
            bytes += envelope.getSerializedSize();
        }
        return new PreparedBatch(results, List.copyOf(groups.values()), storable, bytes, context);
    }

    /**
     * The key of an event's stream among a batch's groups: its account id, or for an exchange rate
     * a key no account id can take (ids never hold NUL).
     */
    private static String groupOf(Event event) {
        return event.getKindCase() == Event.KindCase.EXCHANGE_RATE ? EXCHANGE_RATE_GROUP : event.getAccountId();
    }

    /** Exchange rates are the suite's, not an account's: they go to their system stream. */
    private static String streamOf(Event event) {
        return event.getKindCase() == Event.KindCase.EXCHANGE_RATE ? StreamIds.EXCHANGE_RATES
                : StreamIds.forAccount(event.getAccountId());
    }

    /**
     * Appends a prepared batch holding {@code lease} (released once the store answers; may be
     * null when every item was rejected). Completes once every event is durable, on the
     * completions executor.
     */
    public CompletableFuture<BatchOutcome> append(PreparedBatch batch, InFlightBudget.Lease lease) {
        if (batch.storableEvents() == 0) {
            if (lease != null) {
                lease.close();
            }
            return CompletableFuture.completedFuture(recorded(batch.outcomeWithoutAppend()));
        }
        List<AppendRequest> requests = new ArrayList<>(batch.groups().size());
        for (PreparedBatch.StreamGroup group : batch.groups()) {
            requests.add(new AppendRequest(group.streamId, ExpectedVersion.ANY, group.envelopes));
        }
        Span span = tracer.spanBuilder("ingest.append")
                .setParent(batch.context())
                .setSpanKind(SpanKind.INTERNAL)
                .setAttribute(EVENTS, (long) batch.storableEvents())
                .setAttribute(STREAMS, (long) requests.size())
                .setAttribute(REJECTED, (long) (batch.size() - batch.storableEvents()))
                .startSpan();
        long started = System.nanoTime();
        CompletableFuture<List<AppendResult>> appended;
        try {
            appended = store.appendAsync(requests);
        } catch (RuntimeException e) {
            appended = CompletableFuture.failedFuture(e);
        }
        return appended
                .whenComplete((results, error) -> {
                    // on the store's thread: free the room at once, the rest can wait for the executor
                    lease.close();
                    if (error == null) {
                        metrics.appended(System.nanoTime() - started, batch.storableEvents());
                    }
                })
                .handleAsync((results, error) -> {
                    try {
                        if (error != null) {
                            throw translate(error);
                        }
                        BatchOutcome outcome = outcomeOf(batch, results);
                        span.setAttribute(ACCEPTED, (long) outcome.accepted());
                        span.setAttribute(DUPLICATES, (long) outcome.duplicates());
                        return recorded(outcome);
                    } catch (RuntimeException failure) {
                        span.recordException(failure);
                        span.setStatus(StatusCode.ERROR, failure.getMessage());
                        throw failure;
                    } finally {
                        span.end();
                    }
                }, completions);
    }

    private BatchOutcome recorded(BatchOutcome outcome) {
        metrics.recorded(outcome);
        return outcome;
    }

    private static BatchOutcome outcomeOf(PreparedBatch batch, List<AppendResult> appended) {
        ItemResult[] results = batch.results().clone();
        List<PreparedBatch.StreamGroup> groups = batch.groups();
        if (appended.size() != groups.size()) {
            throw new IllegalStateException("the store answered " + appended.size() + " of " + groups.size() + " appends");
        }
        for (int g = 0; g < groups.size(); g++) {
            PreparedBatch.StreamGroup group = groups.get(g);
            AppendResult result = appended.get(g);
            if (result.conflict()) {
                // ExpectedVersion.ANY never conflicts; an engine that says so is broken
                throw new IllegalStateException("unexpected version conflict on " + result.streamId());
            }
            for (int j = 0; j < group.size(); j++) {
                AppendResult.EventOutcome event = result.events().get(j);
                results[group.index(j)] = switch (event.disposition()) {
                    case APPENDED -> new ItemResult.Accepted(event.globalPosition(), event.streamVersion());
                    case DUPLICATE -> new ItemResult.Duplicate(event.globalPosition(), event.streamVersion());
                    case ID_REUSED -> new ItemResult.IdReused(event.globalPosition(), event.streamVersion());
                };
            }
        }
        return BatchOutcome.of(results);
    }

    private RuntimeException translate(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof EventStoreOverloadedException overloaded) {
            metrics.refused(IngestMetrics.Refusal.OVERLOADED);
            return new IngestOverloadedException("the event store is behind and refuses more work ("
                    + overloaded.getMessage() + "): nothing of this call was stored; retry with the same event ids",
                    budget.retryHint());
        }
        if (cause instanceof EventStoreUnavailableException unavailable) {
            metrics.refused(IngestMetrics.Refusal.UNAVAILABLE);
            return new IngestUnavailableException("the event store is unavailable (" + unavailable.getMessage()
                    + "); each account stream's append is atomic and ids are idempotent: retry with the same event ids",
                    unavailable);
        }
        return cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
    }

    public InFlightBudget budget() {
        return budget;
    }
}
