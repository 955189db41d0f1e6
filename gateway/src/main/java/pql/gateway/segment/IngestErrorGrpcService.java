package pql.gateway.segment;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import pql.common.grpc.FieldViolations;
import pql.gateway.auth.Caller;
import pql.gateway.auth.Scope;
import pql.v1.IngestError;
import pql.v1.IngestErrorServiceGrpc;
import pql.v1.ListIngestErrorsRequest;
import pql.v1.ListIngestErrorsResponse;

/** {@code pql ingest-errors}: the newest rejected items, served by the gateway from {@link IngestErrorLog}. */
public final class IngestErrorGrpcService extends IngestErrorServiceGrpc.IngestErrorServiceImplBase {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 1000;

    private final IngestErrorLog log;

    public IngestErrorGrpcService(IngestErrorLog log) {
        this.log = log;
    }

    @Override
    public void listIngestErrors(ListIngestErrorsRequest request, StreamObserver<ListIngestErrorsResponse> responses) {
        if (request.getLimit() < 0 || request.getLimit() > MAX_LIMIT) {
            responses.onError(new FieldViolations().add("limit", "must be between 0 (meaning " + DEFAULT_LIMIT + ") and " + MAX_LIMIT
                    + ", was " + request.getLimit()).toException("invalid request"));
            return;
        }
        Caller caller = Caller.CURRENT.get();
        if (caller == null) {
            responses.onError(Status.UNAUTHENTICATED.withDescription("an API key is required").asRuntimeException());
            return;
        }
        int limit = request.getLimit() == 0 ? DEFAULT_LIMIT : request.getLimit();
        boolean everything = caller.has(Scope.ADMIN);
        ListIngestErrorsResponse.Builder response = ListIngestErrorsResponse.newBuilder().setTotalRejected(log.total());
        for (IngestErrorLog.Entry entry : log.newest(limit, entry -> everything || entry.apiKeyName().equals(caller.name()))) {
            response.addErrors(IngestError.newBuilder()
                    .setReceivedAt(Timestamp.newBuilder().setSeconds(entry.receivedAt().getEpochSecond()).setNanos(entry.receivedAt().getNano()))
                    .setSource(entry.source())
                    .setApiKeyName(entry.apiKeyName())
                    .setMessageId(nullToEmpty(entry.messageId()))
                    .setMessageType(nullToEmpty(entry.messageType()))
                    .setEventName(nullToEmpty(entry.eventName()))
                    .setAccountId(nullToEmpty(entry.accountId()))
                    .setCode(nullToEmpty(entry.code()))
                    .setReason(nullToEmpty(entry.reason())));
        }
        responses.onNext(response.build());
        responses.onCompleted();
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }
}
