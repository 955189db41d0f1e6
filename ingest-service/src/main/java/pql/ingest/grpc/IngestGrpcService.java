package pql.ingest.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import pql.common.grpc.FieldViolations;
import pql.common.grpc.GrpcErrors;
import pql.ingest.app.BatchOutcome;
import pql.ingest.app.IngestUseCase;
import pql.ingest.app.ItemResult;
import pql.v1.Event;
import pql.v1.IngestBatchRequest;
import pql.v1.IngestBatchResponse;
import pql.v1.IngestEventRequest;
import pql.v1.IngestEventResponse;
import pql.v1.IngestServiceGrpc;
import pql.v1.IngestStreamRequest;
import pql.v1.IngestStreamResponse;

/**
 * pql.v1.IngestService: the three call shapes over one use case. Every answer is sent from the
 * store's completion, i.e. once the events are durable; no thread waits for the store.
 */
public final class IngestGrpcService extends IngestServiceGrpc.IngestServiceImplBase {

    private final IngestUseCase ingest;
    private final int maxChunksInFlightPerStream;

    /**
     * @param maxChunksInFlightPerStream chunks of one stream read but not yet answered: more hides
     *     the store's latency (pipelining), fewer holds less memory per stream
     */
    public IngestGrpcService(IngestUseCase ingest, int maxChunksInFlightPerStream) {
        if (maxChunksInFlightPerStream < 1) {
            throw new IllegalArgumentException("at least one chunk in flight per stream");
        }
        this.ingest = ingest;
        this.maxChunksInFlightPerStream = maxChunksInFlightPerStream;
    }

    @Override
    public void ingestEvent(IngestEventRequest request, StreamObserver<IngestEventResponse> responses) {
        if (!request.hasEvent()) {
            responses.onError(GrpcErrors.invalidArgument("event", "required: the event to ingest"));
            return;
        }
        Event event = request.getEvent();
        ingestAll(List.of(event)).whenComplete((outcome, error) -> {
            if (error != null) {
                responses.onError(IngestStatuses.of(error));
                return;
            }
            ItemResult result = outcome.results().get(0);
            if (result instanceof ItemResult.Rejected rejected) {
                responses.onError(EventResults.violations(rejected, "event").toException("invalid event"));
                return;
            }
            responses.onNext(IngestEventResponse.newBuilder().setResult(EventResults.of(0, event, result)).build());
            responses.onCompleted();
        });
    }

    @Override
    public void ingestBatch(IngestBatchRequest request, StreamObserver<IngestBatchResponse> responses) {
        FieldViolations shape = EventResults.batchShape(request.getEventsCount(), request.getSerializedSize());
        if (!shape.isEmpty()) {
            responses.onError(shape.toException("invalid batch"));
            return;
        }
        List<Event> events = request.getEventsList();
        ingestAll(events).whenComplete((outcome, error) -> {
            if (error != null) {
                responses.onError(IngestStatuses.of(error));
                return;
            }
            responses.onNext(EventResults.batchResponse(events, outcome));
            responses.onCompleted();
        });
    }

    @Override
    public StreamObserver<IngestStreamRequest> ingestStream(StreamObserver<IngestStreamResponse> responses) {
        IngestStreamCall call = new IngestStreamCall(ingest, (ServerCallStreamObserver<IngestStreamResponse>) responses,
                maxChunksInFlightPerStream);
        call.start();
        return call;
    }

    private CompletableFuture<BatchOutcome> ingestAll(List<Event> events) {
        try {
            return ingest.ingest(events);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
