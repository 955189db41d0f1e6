package pql.gateway.support;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import pql.common.grpc.GrpcErrors;
import pql.v1.ApiKeyEvent;
import pql.v1.ApiKeyLogServiceGrpc;
import pql.v1.AppendApiKeyEventRequest;
import pql.v1.AppendApiKeyEventResponse;
import pql.v1.ReadApiKeyEventsRequest;
import pql.v1.ReadApiKeyEventsResponse;

/**
 * ingest-service's ApiKeyLogService kept in memory, with the same contract (expected version,
 * ABORTED API_KEY_LOG_CONFLICT on a race, reads from a version): one stream that several gateways
 * under test share, as they share the event store in production.
 */
public final class InMemoryApiKeyLog extends ApiKeyLogServiceGrpc.ApiKeyLogServiceImplBase {

    private final List<ApiKeyEvent> events = new ArrayList<>();

    @Override
    public synchronized void appendApiKeyEvent(AppendApiKeyEventRequest request, StreamObserver<AppendApiKeyEventResponse> responses) {
        if (request.getExpectedVersion() != events.size() - 1) {
            responses.onError(GrpcErrors.error(Status.Code.ABORTED, "API_KEY_LOG_CONFLICT", "the stream moved on"));
            return;
        }
        events.add(request.getEvent().toBuilder().setStreamVersion(events.size()).build());
        responses.onNext(AppendApiKeyEventResponse.newBuilder().setStreamVersion(events.size() - 1).build());
        responses.onCompleted();
    }

    @Override
    public synchronized void readApiKeyEvents(ReadApiKeyEventsRequest request, StreamObserver<ReadApiKeyEventsResponse> responses) {
        int max = request.getMaxCount() == 0 ? 1000 : request.getMaxCount();
        int from = (int) Math.min(request.getFromVersion(), events.size());
        responses.onNext(ReadApiKeyEventsResponse.newBuilder()
                .addAllEvents(events.subList(from, Math.min(events.size(), from + max))).build());
        responses.onCompleted();
    }

    /** How many events the stream holds. */
    public synchronized int size() {
        return events.size();
    }
}
