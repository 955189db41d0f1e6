package pql.ingest.grpc;

import static pql.ingest.grpc.IngestStatuses.ERRORS;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import pql.common.grpc.FieldViolations;
import pql.common.grpc.GrpcErrors;
import pql.ingest.app.BatchOutcome;
import pql.ingest.app.InFlightBudget;
import pql.ingest.app.IngestUseCase;
import pql.ingest.app.PreparedBatch;
import pql.v1.Event;
import pql.ingest.grpc.WireRequests.EventsRequest;
import pql.v1.IngestStreamResponse;

/**
 * One IngestStream call, with manual flow control: the next chunk is read only when this stream
 * has fewer than {@code maxChunksInFlight} chunks unanswered, the response side is writable and
 * the shared budget has room for a chunk like the last one. So a fast client is slowed down by
 * HTTP/2 flow control, never refused for memory. Up to {@code maxChunksInFlight} chunks are
 * appended concurrently (pipelining hides the store's fsync latency); answers go out in chunk
 * order, each once its events are durable.
 *
 * <p>A chunk that is malformed as a whole (empty, too many events, too big) or that the store
 * refuses ends the call with that status, after the answers of the chunks before it. So does a
 * chunk that found no room in the budget within the admission wait, counted from when it was read:
 * RESOURCE_EXHAUSTED with RetryInfo; nothing of it was stored, and no later chunk was read, so the
 * client sends that chunk and the ones after it again, with the same event ids.
 *
 * <p>Callbacks arrive from gRPC (serialised), the use case's completion executor and the budget's
 * waiter executor; all state is guarded by this object's lock.
 */
final class IngestStreamCall implements StreamObserver<EventsRequest> {

    private final IngestUseCase ingest;
    private final InFlightBudget budget;
    private final ServerCallStreamObserver<IngestStreamResponse> responses;
    private final int maxChunksInFlight;

    /** Chunks read and not yet answered, in arrival order. */
    private final ArrayDeque<Chunk> unanswered = new ArrayDeque<>();
    /** A chunk read while the budget was full: it waits for room (at most the admission wait), and no more are read. */
    private Chunk parked;
    private boolean requested;
    private boolean waitingForRoom;
    private boolean halfClosed;
    private boolean failed;
    private boolean done;
    private int lastEvents = 1;
    private long lastBytes = 1;

    IngestStreamCall(IngestUseCase ingest, ServerCallStreamObserver<IngestStreamResponse> responses, int maxChunksInFlight) {
        this.ingest = ingest;
        this.budget = ingest.budget();
        this.responses = responses;
        this.maxChunksInFlight = maxChunksInFlight;
        responses.disableAutoRequest();
        responses.setOnReadyHandler(this::onReady);
        responses.setOnCancelHandler(this::onCancel);
    }

    synchronized void start() {
        requestNext();
    }

    @Override
    public void onNext(EventsRequest request) {
        long arrivedAt = System.nanoTime();
        StatusRuntimeException malformed = request.malformation();
        FieldViolations shape = EventResults.batchShape(request.size(), request.serializedSize());
        // validation and encoding outside the lock, in the call's trace context
        PreparedBatch batch = malformed == null && shape.isEmpty() ? ingest.prepare(request) : null;
        synchronized (this) {
            requested = false;
            if (done || failed) {
                return;
            }
            Chunk chunk = new Chunk(request.sequence(), request.events(), batch, arrivedAt);
            unanswered.add(chunk);
            if (batch == null) {
                fail(chunk, malformed != null ? malformed : shape.toException("invalid chunk " + request.sequence()));
                return;
            }
            lastEvents = Math.max(1, batch.storableEvents());
            lastBytes = Math.max(1, batch.storableBytes());
            admit(chunk);
            requestNext();
        }
    }

    @Override
    public synchronized void onCompleted() {
        halfClosed = true;
        drain();
    }

    @Override
    public void onError(Throwable clientError) {
        onCancel();
    }

    private synchronized void onCancel() {
        // appends already handed to the store finish on their own and free their budget
        done = true;
        parked = null;
        unanswered.clear();
    }

    private synchronized void onReady() {
        requestNext();
    }

    /** Hands the chunk to the store if the budget has room, else parks it until a release. */
    private void admit(Chunk chunk) {
        PreparedBatch batch = chunk.batch;
        if (batch.storableEvents() == 0) {
            ingest.append(batch, null).whenComplete((outcome, error) -> appended(chunk, outcome, error));
            return;
        }
        if (!budget.canEverFit(batch.storableEvents(), batch.storableBytes())) {
            fail(chunk, GrpcErrors.error(Status.Code.RESOURCE_EXHAUSTED, "CHUNK_TOO_LARGE", "chunk " + chunk.sequence
                    + " is larger than the whole ingest buffer (" + budget.maxEvents() + " events / " + budget.maxBytes() + " bytes)"));
            return;
        }
        CompletableFuture<InFlightBudget.Lease> lease = ingest.admit(batch, chunk.arrivedAt);
        if (lease.isDone() && !lease.isCompletedExceptionally()) {
            ingest.append(batch, lease.join()).whenComplete((outcome, error) -> appended(chunk, outcome, error));
            return;
        }
        parked = chunk;
        lease.whenComplete((room, error) -> admitted(chunk, room, error));
    }

    /** The parked chunk got room, or waited too long for it. */
    private synchronized void admitted(Chunk chunk, InFlightBudget.Lease lease, Throwable error) {
        if (parked == chunk) {
            parked = null;
        }
        if (done || failed) {
            if (lease != null) {
                lease.close();
            }
            return;
        }
        if (error != null) {
            fail(chunk, ERRORS.toStatus(error));
            return;
        }
        ingest.append(chunk.batch, lease).whenComplete((outcome, failure) -> appended(chunk, outcome, failure));
        requestNext();
    }

    private void appended(Chunk chunk, BatchOutcome outcome, Throwable error) {
        IngestStreamResponse response = error == null ? EventResults.streamResponse(chunk.sequence, chunk.events, outcome) : null;
        synchronized (this) {
            if (done) {
                return;
            }
            if (error != null) {
                fail(chunk, ERRORS.toStatus(error));
                return;
            }
            chunk.response = response;
            drain();
            requestNext();
        }
    }

    private void fail(Chunk chunk, StatusRuntimeException error) {
        chunk.error = error;
        failed = true;
        parked = null;
        drain();
    }

    /** Sends the answers that are ready, in chunk order; ends the call after the last one. */
    private void drain() {
        while (!done && !unanswered.isEmpty() && unanswered.peek().isAnswered()) {
            Chunk chunk = unanswered.poll();
            if (chunk.error != null) {
                done = true;
                unanswered.clear();
                responses.onError(chunk.error);
                return;
            }
            responses.onNext(chunk.response);
        }
        if (!done && halfClosed && unanswered.isEmpty()) {
            done = true;
            responses.onCompleted();
        }
    }

    /** Reads one more chunk when this stream and the shared budget both have room. */
    private void requestNext() {
        if (done || failed || halfClosed || requested || parked != null || waitingForRoom) {
            return;
        }
        if (unanswered.size() >= maxChunksInFlight || !responses.isReady()) {
            return; // an answer or onReady calls again
        }
        if (!budget.hasRoomOrWait(lastEvents, lastBytes, this::roomReleased)) {
            waitingForRoom = true;
            return;
        }
        requested = true;
        responses.request(1);
    }

    private synchronized void roomReleased() {
        waitingForRoom = false;
        requestNext();
    }

    private static final class Chunk {
        final long sequence;
        final List<Event> events;
        final PreparedBatch batch;
        /** When it was read ({@link System#nanoTime}): its admission wait counts from here. */
        final long arrivedAt;
        IngestStreamResponse response;
        StatusRuntimeException error;

        Chunk(long sequence, List<Event> events, PreparedBatch batch, long arrivedAt) {
            this.sequence = sequence;
            this.events = events;
            this.batch = batch;
            this.arrivedAt = arrivedAt;
        }

        boolean isAnswered() {
            return response != null || error != null;
        }
    }
}
