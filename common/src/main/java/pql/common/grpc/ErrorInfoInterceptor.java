package pql.common.grpc;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;

/**
 * Makes every non-OK status leaving a server carry a google.rpc.ErrorInfo (domain
 * {@value GrpcErrors#DOMAIN}), also those nobody built with {@link GrpcErrors}: a backend that
 * cannot be reached, a deadline that passed, a status raised by gRPC itself. Such a status gets
 * the reason {@link #reasonFor(Status.Code)} of its code; the details already there are kept, and
 * a status that already has an ErrorInfo passes unchanged, so a specific reason always wins.
 *
 * <p>Install it first (outermost), so it also sees the refusals of the other interceptors.
 */
public final class ErrorInfoInterceptor implements ServerInterceptor {

    /** Where StatusProto (and every gRPC client library) puts and looks for the details. */
    static final Metadata.Key<com.google.rpc.Status> DETAILS = Metadata.Key.of("grpc-status-details-bin",
            ProtoUtils.metadataMarshaller(com.google.rpc.Status.getDefaultInstance()));

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
            ServerCallHandler<ReqT, RespT> next) {
        return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                if (!status.isOk()) {
                    withErrorInfo(status, trailers);
                }
                super.close(status, trailers);
            }
        }, headers);
    }

    /** Adds an ErrorInfo to the status details in {@code trailers} unless they carry one. */
    static void withErrorInfo(Status status, Metadata trailers) {
        com.google.rpc.Status details = null;
        try {
            details = trailers.get(DETAILS);
        } catch (RuntimeException unreadable) {
            // details we cannot parse are replaced by ours
        }
        if (details != null && details.getDetailsList().stream().anyMatch(any -> any.is(ErrorInfo.class))) {
            return;
        }
        com.google.rpc.Status.Builder fixed = details == null
                ? com.google.rpc.Status.newBuilder()
                : details.toBuilder();
        fixed.setCode(status.getCode().value());
        if (details == null && status.getDescription() != null) {
            fixed.setMessage(status.getDescription());
        }
        fixed.addDetails(Any.pack(GrpcErrors.errorInfo(reasonFor(status.getCode()))));
        trailers.discardAll(DETAILS);
        trailers.put(DETAILS, fixed.build());
    }

    /**
     * The reason of a status built without one: its code's name (e.g. UNAVAILABLE,
     * DEADLINE_EXCEEDED), except UNKNOWN, which only an unexpected failure produces: INTERNAL.
     */
    public static String reasonFor(Status.Code code) {
        return code == Status.Code.UNKNOWN ? GrpcErrors.INTERNAL : code.name();
    }
}
