package pql.ingest.grpc;

import static pql.ingest.grpc.IngestStatuses.ERRORS;

import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import pql.common.grpc.FieldViolations;
import pql.common.grpc.GrpcErrors;
import pql.ingest.app.BatchOutcome;
import pql.ingest.app.IncomingEvents;
import pql.ingest.app.IngestUseCase;
import pql.ingest.app.ItemResult;
import pql.ingest.grpc.WireRequests.EventsRequest;
import pql.v1.Event;
import pql.v1.IngestBatchResponse;
import pql.v1.IngestEventResponse;
import pql.v1.IngestServiceGrpc;
import pql.v1.IngestStreamResponse;

/**
 * pql.v1.IngestService: the three call shapes over one use case. Every answer is sent from the
 * store's completion, i.e. once the events are durable; no thread waits for the store.
 *
 * <p>Bound by hand rather than through the generated base class so that requests are parsed by
 * {@link WireRequests}, which keeps each event's payload bytes as the client sent them.
 */
public final class IngestGrpcService implements BindableService {

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
    public ServerServiceDefinition bindService() {
        MethodDescriptor<EventsRequest, IngestEventResponse> event = IngestServiceGrpc.getIngestEventMethod()
                .toBuilder(WireRequests.EVENT, IngestServiceGrpc.getIngestEventMethod().getResponseMarshaller()).build();
        MethodDescriptor<EventsRequest, IngestBatchResponse> batch = IngestServiceGrpc.getIngestBatchMethod()
                .toBuilder(WireRequests.BATCH, IngestServiceGrpc.getIngestBatchMethod().getResponseMarshaller()).build();
        MethodDescriptor<EventsRequest, IngestStreamResponse> stream = IngestServiceGrpc.getIngestStreamMethod()
                .toBuilder(WireRequests.STREAM, IngestServiceGrpc.getIngestStreamMethod().getResponseMarshaller()).build();
        ServiceDescriptor service = ServiceDescriptor.newBuilder(IngestServiceGrpc.SERVICE_NAME)
                .setSchemaDescriptor(IngestServiceGrpc.getServiceDescriptor().getSchemaDescriptor())
                .addMethod(event)
                .addMethod(batch)
                .addMethod(stream)
                .build();
        return ServerServiceDefinition.builder(service)
                .addMethod(event, ServerCalls.asyncUnaryCall(this::ingestEvent))
                .addMethod(batch, ServerCalls.asyncUnaryCall(this::ingestBatch))
                .addMethod(stream, ServerCalls.asyncBidiStreamingCall(this::ingestStream))
                .build();
    }

    private void ingestEvent(EventsRequest request, StreamObserver<IngestEventResponse> responses) {
        long arrivedAt = System.nanoTime();
        if (request.malformation() != null) {
            responses.onError(request.malformation());
            return;
        }
        if (request.size() == 0) {
            responses.onError(GrpcErrors.invalidArgument("event", "required: the event to ingest"));
            return;
        }
        Event event = request.event(0);
        ingestAll(request, arrivedAt).whenComplete((outcome, error) -> {
            if (error != null) {
                responses.onError(ERRORS.toStatus(error));
                return;
            }
            ItemResult result = outcome.results().get(0);
            if (result instanceof ItemResult.Rejected rejected) {
                responses.onError(EventResults.violations(rejected, "event").toException("invalid event"));
                return;
            }
            if (result instanceof ItemResult.IdReused reused) {
                responses.onError(StatusProto.toStatusRuntimeException(EventResults.idReused(event, reused)));
                return;
            }
            responses.onNext(IngestEventResponse.newBuilder().setResult(EventResults.of(0, event, result)).build());
            responses.onCompleted();
        });
    }

    private void ingestBatch(EventsRequest request, StreamObserver<IngestBatchResponse> responses) {
        long arrivedAt = System.nanoTime();
        if (request.malformation() != null) {
            responses.onError(request.malformation());
            return;
        }
        FieldViolations shape = EventResults.batchShape(request.size(), request.serializedSize());
        if (!shape.isEmpty()) {
            responses.onError(shape.toException("invalid batch"));
            return;
        }
        if (request.validateOnly()) {
            // a dry run: the same checks, nothing reserved or appended
            responses.onNext(EventResults.validationResponse(request.events(), ingest.prepare(request)));
            responses.onCompleted();
            return;
        }
        ingestAll(request, arrivedAt).whenComplete((outcome, error) -> {
            if (error != null) {
                responses.onError(ERRORS.toStatus(error));
                return;
            }
            responses.onNext(EventResults.batchResponse(request.events(), outcome));
            responses.onCompleted();
        });
    }

    private StreamObserver<EventsRequest> ingestStream(StreamObserver<IngestStreamResponse> responses) {
        IngestStreamCall call = new IngestStreamCall(ingest, (ServerCallStreamObserver<IngestStreamResponse>) responses,
                maxChunksInFlightPerStream);
        call.start();
        return call;
    }

    private CompletableFuture<BatchOutcome> ingestAll(IncomingEvents events, long arrivedAt) {
        try {
            return ingest.ingest(events, arrivedAt);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
