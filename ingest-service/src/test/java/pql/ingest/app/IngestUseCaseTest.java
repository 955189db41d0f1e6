package pql.ingest.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.eventstore.EventStoreOverloadedException;
import pql.eventstore.EventStoreUnavailableException;
import pql.eventstore.StoredEvent;
import pql.eventstore.StreamIds;
import pql.eventstore.StreamVersions;
import pql.eventstore.embedded.EmbeddedStoreOptions;
import pql.eventstore.embedded.RocksDbEventStore;
import pql.ingest.validation.EventValidator;
import pql.ingest.validation.Violation;
import pql.ingest.support.GatedEventStore;
import pql.ingest.support.TestEvents;
import pql.v1.Event;
import pql.v1.ProductAction;

/**
 * Ingest at the use-case level, on the embedded store behind a gate: what is stored, what each item
 * is answered, and what a refused call leaves behind (nothing).
 */
class IngestUseCaseTest {

    @TempDir
    Path directory;

    private RocksDbEventStore store;
    private GatedEventStore gated;
    private final RecordingMetrics metrics = new RecordingMetrics();

    @BeforeEach
    void open() {
        store = RocksDbEventStore.open(EmbeddedStoreOptions.defaults(directory));
        gated = new GatedEventStore(store);
    }

    @AfterEach
    void close() {
        gated.openGate();
        store.close();
    }

    /** Counts what the use case reports. */
    static final class RecordingMetrics implements IngestMetrics {
        final List<BatchOutcome> recorded = new ArrayList<>();
        final List<Refusal> refused = new ArrayList<>();
        long appendedEvents;

        @Override
        public synchronized void recorded(BatchOutcome outcome) {
            recorded.add(outcome);
        }

        @Override
        public synchronized void appended(long nanos, int events) {
            appendedEvents += events;
        }

        @Override
        public synchronized void refused(Refusal why) {
            refused.add(why);
        }
    }

    private IngestUseCase ingest(long maxEvents) {
        return new IngestUseCase(gated, new EventValidator(TestEvents.CLOCK),
                new InFlightBudget(maxEvents, 1 << 20, Runnable::run), metrics,
                OpenTelemetry.noop().getTracer("test"), TestEvents.CLOCK, Runnable::run);
    }

    private IngestUseCase ingest() {
        return ingest(1000);
    }

    private static BatchOutcome outcomeOf(CompletableFuture<BatchOutcome> call) throws Exception {
        return call.get(10, TimeUnit.SECONDS);
    }

    private List<StoredEvent> stream(String accountId) {
        return store.readStream(StreamIds.forAccount(accountId), 0, 100);
    }

    private static Event withoutUser(String eventId, String accountId) {
        return TestEvents.base(eventId, accountId).setProductAction(ProductAction.newBuilder().setAction("login")).build();
    }

    @Test
    void aValidBatchIsStoredOneStreamPerAccountAndAnsweredInRequestOrder() throws Exception {
        Event first = TestEvents.productAction("e1", "acme");
        Event other = TestEvents.accountProfiled("e2", "globex");
        Event second = TestEvents.userIdentified("e3", "acme");

        BatchOutcome outcome = outcomeOf(ingest().ingest(List.of(first, other, second)));

        assertThat(outcome.accepted()).isEqualTo(3);
        assertThat(outcome.duplicates()).isZero();
        assertThat(outcome.rejected()).isZero();
        assertThat(outcome.results()).allSatisfy(result -> assertThat(result).isInstanceOf(ItemResult.Accepted.class));
        assertThat(((ItemResult.Accepted) outcome.results().get(0)).streamVersion()).isZero();
        assertThat(((ItemResult.Accepted) outcome.results().get(1)).streamVersion()).isZero();
        assertThat(((ItemResult.Accepted) outcome.results().get(2)).streamVersion()).isEqualTo(1);
        assertThat(stream("acme")).extracting(e -> e.envelope().getEventId()).containsExactly("e1", "e3");
        assertThat(stream("globex")).extracting(e -> e.envelope().getEventId()).containsExactly("e2");
        assertThat(metrics.appendedEvents).isEqualTo(3);
        assertThat(metrics.recorded).singleElement().isEqualTo(outcome);
    }

    @Test
    void theStoredEnvelopeCarriesTheKindItsPayloadAndTheServersRecordingTime() throws Exception {
        Event action = TestEvents.productAction("e1", "acme");

        outcomeOf(ingest().ingest(List.of(action)));

        var envelope = stream("acme").get(0).envelope();
        assertThat(envelope.getType()).isEqualTo(ProductAction.getDescriptor().getFullName());
        assertThat(ProductAction.parseFrom(envelope.getPayload())).isEqualTo(action.getProductAction());
        assertThat(envelope.getAccountId()).isEqualTo("acme");
        assertThat(envelope.getOccurredAt()).isEqualTo(action.getOccurredAt());
        assertThat(envelope.getRecordedAt()).isEqualTo(TestEvents.timestamp(TestEvents.NOW));
        assertThat(envelope.getSchemaRevision()).isEqualTo(1);
    }

    @Test
    void payloadBytesTheTransportKeptAreStoredAsReceived() throws Exception {
        Event action = TestEvents.productAction("e1", "acme");
        // bytes that differ from the parsed event's encoding: only storing them as is can put them in the store
        ByteString asReceived = action.getProductAction().toBuilder().setQuantity(7).build().toByteString();
        IncomingEvents events = new IncomingEvents() {
            @Override
            public int size() {
                return 1;
            }

            @Override
            public Event event(int index) {
                return action;
            }

            @Override
            public ByteString payload(int index) {
                return asReceived;
            }
        };

        outcomeOf(ingest().ingest(events));

        assertThat(stream("acme").get(0).envelope().getPayload()).isEqualTo(asReceived);
    }

    @Test
    void anEventIdAlreadyStoredIsADuplicateAndAddsNothing() throws Exception {
        IngestUseCase ingest = ingest();
        ItemResult.Accepted stored = (ItemResult.Accepted) outcomeOf(ingest.ingest(List.of(
                TestEvents.productAction("e1", "acme")))).results().get(0);

        BatchOutcome again = outcomeOf(ingest.ingest(List.of(TestEvents.productAction("e1", "acme"),
                TestEvents.communication("e4", "acme"))));

        assertThat(again.results().get(0))
                .isEqualTo(new ItemResult.Duplicate(stored.globalPosition(), stored.streamVersion()));
        assertThat(again.results().get(1)).isInstanceOf(ItemResult.Accepted.class);
        assertThat(again.duplicates()).isEqualTo(1);
        assertThat(again.accepted()).isEqualTo(1);
        assertThat(stream("acme")).extracting(e -> e.envelope().getEventId()).containsExactly("e1", "e4");
    }

    @Test
    void anEventIdRepeatedWithinOneCallIsStoredOnce() throws Exception {
        BatchOutcome outcome = outcomeOf(ingest().ingest(List.of(TestEvents.productAction("e1", "acme"),
                TestEvents.productAction("e1", "acme"))));

        assertThat(outcome.results().get(0)).isInstanceOf(ItemResult.Accepted.class);
        assertThat(outcome.results().get(1)).isInstanceOf(ItemResult.Duplicate.class);
        assertThat(stream("acme")).hasSize(1);
    }

    @Test
    void anInvalidEventIsRejectedWithItsViolationsAndTheValidOnesOfItsBatchAreStored() throws Exception {
        BatchOutcome outcome = outcomeOf(ingest().ingest(List.of(TestEvents.productAction("e1", "acme"),
                withoutUser("e2", "acme"), TestEvents.salesAssistance("e3", "acme"))));

        assertThat(outcome.accepted()).isEqualTo(2);
        assertThat(outcome.rejected()).isEqualTo(1);
        assertThat(outcome.results().get(1)).isInstanceOfSatisfying(ItemResult.Rejected.class, rejected ->
                assertThat(rejected.violations()).extracting(Violation::field).containsExactly("product_action.user_id"));
        assertThat(((ItemResult.Accepted) outcome.results().get(2)).streamVersion()).isEqualTo(1);
        assertThat(stream("acme")).extracting(e -> e.envelope().getEventId()).containsExactly("e1", "e3");
    }

    @Test
    void aCallOfOnlyInvalidEventsIsAnsweredWithoutTouchingTheStoreOrTheBudget() throws Exception {
        gated.closeGate();
        IngestUseCase ingest = ingest();

        CompletableFuture<BatchOutcome> call = ingest.ingest(List.of(withoutUser("e1", "acme"),
                TestEvents.base("", "acme").build()));

        assertThat(call).isDone();
        assertThat(outcomeOf(call).rejected()).isEqualTo(2);
        assertThat(gated.heldAppends()).isZero();
        assertThat(ingest.budget().eventsInFlight()).isZero();
        assertThat(store.headPosition()).isEqualTo(StreamVersions.BEFORE_FIRST_POSITION);
    }

    @Test
    void theAnswerWaitsUntilTheStoreSaysTheEventsAreDurableAndHoldsTheBudgetMeanwhile() throws Exception {
        gated.closeGate();
        IngestUseCase ingest = ingest();

        CompletableFuture<BatchOutcome> call = ingest.ingest(List.of(TestEvents.productAction("e1", "acme"),
                TestEvents.productAction("e2", "acme")));

        assertThat(call).isNotDone();
        assertThat(ingest.budget().eventsInFlight()).isEqualTo(2);
        assertThat(ingest.budget().bytesInFlight()).isPositive();

        gated.openGate();

        assertThat(outcomeOf(call).accepted()).isEqualTo(2);
        assertThat(ingest.budget().eventsInFlight()).isZero();
        assertThat(ingest.budget().bytesInFlight()).isZero();
    }

    @Test
    void aCallThatDoesNotFitTheBudgetIsRefusedWholeAndStoresNothing() {
        IngestUseCase ingest = ingest(2);

        CompletableFuture<BatchOutcome> call = ingest.ingest(List.of(TestEvents.productAction("e1", "acme"),
                TestEvents.productAction("e2", "acme"), TestEvents.productAction("e3", "acme")));

        assertThatThrownBy(call::join).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(IngestOverloadedException.class).hasMessageContaining("larger than the whole ingest buffer");
        assertThat(metrics.refused).containsExactly(IngestMetrics.Refusal.OVERLOADED);
        assertThat(stream("acme")).isEmpty();
    }

    @Test
    void aStoreThatIsDownMakesTheCallUnavailableAndARetryWithTheSameIdsStoresEachOnce() throws Exception {
        IngestUseCase ingest = ingest();
        List<Event> events = List.of(TestEvents.productAction("e1", "acme"), TestEvents.planLimit("e2", "acme"));
        gated.failAppendsWith(new EventStoreUnavailableException("the disk is gone"));

        CompletableFuture<BatchOutcome> failed = ingest.ingest(events);

        assertThatThrownBy(failed::join).cause().isInstanceOf(IngestUnavailableException.class)
                .hasMessageContaining("the disk is gone").hasMessageContaining("retry with the same event ids");
        assertThat(metrics.refused).containsExactly(IngestMetrics.Refusal.UNAVAILABLE);
        assertThat(ingest.budget().eventsInFlight()).as("a failed append frees its room").isZero();

        gated.failAppendsWith(null);
        assertThat(outcomeOf(ingest.ingest(events)).accepted()).isEqualTo(2);
        assertThat(outcomeOf(ingest.ingest(events)).duplicates()).isEqualTo(2);
        assertThat(stream("acme")).hasSize(2);
    }

    @Test
    void aStoreThatRefusesMoreWorkMakesTheCallOverloaded() {
        gated.failAppendsWith(new EventStoreOverloadedException("write queue full"));

        CompletableFuture<BatchOutcome> call = ingest().ingest(List.of(TestEvents.outcome("e1", "acme")));

        assertThatThrownBy(call::join).cause().isInstanceOf(IngestOverloadedException.class)
                .hasMessageContaining("write queue full");
        assertThat(metrics.refused).containsExactly(IngestMetrics.Refusal.OVERLOADED);
    }

    @Test
    void preparingValidatesAndSizesACallButWritesNothingUntilItIsAppended() throws Exception {
        IngestUseCase ingest = ingest();

        PreparedBatch batch = ingest.prepare(List.of(TestEvents.productAction("e1", "acme"), withoutUser("e2", "acme")));

        assertThat(batch.size()).isEqualTo(2);
        assertThat(batch.storableEvents()).isEqualTo(1);
        assertThat(batch.storableBytes()).isPositive();
        assertThat(stream("acme")).isEmpty();

        InFlightBudget.Lease lease = ingest.budget().tryAcquire(batch.storableEvents(), batch.storableBytes()).orElseThrow();
        BatchOutcome outcome = outcomeOf(ingest.append(batch, lease));

        assertThat(outcome.accepted()).isEqualTo(1);
        assertThat(outcome.rejected()).isEqualTo(1);
        assertThat(stream("acme")).hasSize(1);
        assertThat(ingest.budget().eventsInFlight()).isZero();
    }
}
