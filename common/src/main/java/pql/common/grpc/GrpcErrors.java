package pql.common.grpc;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Builds and reads the gRPC errors of the public API. Every error built here is a
 * google.rpc.Status carrying an {@link ErrorInfo} (domain {@value #DOMAIN}, a stable reason a
 * client may switch on), plus a google.rpc.BadRequest when the request itself is at fault.
 */
public final class GrpcErrors {

    /** The ErrorInfo domain of every error of the API. */
    public static final String DOMAIN = "pql.v1";

    /** The request has field violations (details: google.rpc.BadRequest). */
    public static final String BAD_REQUEST = "BAD_REQUEST";
    /** The request could not be read at all. */
    public static final String MALFORMED_REQUEST = "MALFORMED_REQUEST";
    public static final String NOT_FOUND = "NOT_FOUND";
    public static final String FAILED_PRECONDITION = "FAILED_PRECONDITION";
    public static final String RESOURCE_EXHAUSTED = "RESOURCE_EXHAUSTED";
    public static final String UNAVAILABLE = "UNAVAILABLE";
    /** A bug or a misconfiguration, never the caller's fault; the message does not echo internals. */
    public static final String INTERNAL = "INTERNAL";

    private GrpcErrors() {
    }

    /** {@code code} with {@code message} as its description and an ErrorInfo with {@code reason}. */
    public static StatusRuntimeException error(Status.Code code, String reason, String message) {
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(code.value())
                .setMessage(message)
                .addDetails(Any.pack(errorInfo(reason)))
                .build());
    }

    /**
     * As {@link #error(Status.Code, String, String)}, plus a google.rpc.RetryInfo saying when a
     * retry has a fair chance (none when {@code retryAfter} is null): for refusals under load.
     */
    public static StatusRuntimeException error(Status.Code code, String reason, String message, Duration retryAfter) {
        com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
                .setCode(code.value())
                .setMessage(message)
                .addDetails(Any.pack(errorInfo(reason)));
        if (retryAfter != null) {
            status.addDetails(Any.pack(RetryInfo.newBuilder().setRetryDelay(com.google.protobuf.Duration.newBuilder()
                    .setSeconds(retryAfter.getSeconds()).setNanos(retryAfter.getNano())).build()));
        }
        return StatusProto.toStatusRuntimeException(status.build());
    }

    /** The RetryInfo carried by an error, empty when it has none. */
    public static Optional<RetryInfo> retryInfoOf(Throwable error) {
        com.google.rpc.Status status = StatusProto.fromThrowable(error);
        return status == null ? Optional.empty() : detail(status, RetryInfo.class);
    }

    /** The ErrorInfo detail for {@code reason} in the API's domain. */
    public static ErrorInfo errorInfo(String reason) {
        return ErrorInfo.newBuilder().setDomain(DOMAIN).setReason(reason).build();
    }

    /** INVALID_ARGUMENT with one field violation. */
    public static StatusRuntimeException invalidArgument(String field, String description) {
        return new FieldViolations().add(field, description).toException("invalid request");
    }

    public static StatusRuntimeException notFound(String what) {
        return error(Status.Code.NOT_FOUND, NOT_FOUND, what);
    }

    public static StatusRuntimeException failedPrecondition(String why) {
        return error(Status.Code.FAILED_PRECONDITION, FAILED_PRECONDITION, why);
    }

    public static StatusRuntimeException resourceExhausted(String why) {
        return error(Status.Code.RESOURCE_EXHAUSTED, RESOURCE_EXHAUSTED, why);
    }

    public static StatusRuntimeException unavailable(String why) {
        return error(Status.Code.UNAVAILABLE, UNAVAILABLE, why);
    }

    /** INTERNAL saying only "internal error": what went wrong belongs in the log, not the answer. */
    public static StatusRuntimeException internal() {
        return error(Status.Code.INTERNAL, INTERNAL, "internal error");
    }

    /** The field violations carried by an error, empty when it has none. */
    public static List<BadRequest.FieldViolation> fieldViolations(Throwable error) {
        com.google.rpc.Status status = StatusProto.fromThrowable(error);
        if (status == null) {
            return List.of();
        }
        return badRequestOf(status).map(BadRequest::getFieldViolationsList).orElse(List.of());
    }

    public static Optional<BadRequest> badRequestOf(com.google.rpc.Status status) {
        return detail(status, BadRequest.class);
    }

    /** The ErrorInfo carried by an error, empty when it has none. */
    public static Optional<ErrorInfo> errorInfoOf(Throwable error) {
        com.google.rpc.Status status = StatusProto.fromThrowable(error);
        return status == null ? Optional.empty() : detail(status, ErrorInfo.class);
    }

    private static <T extends com.google.protobuf.Message> Optional<T> detail(com.google.rpc.Status status, Class<T> type) {
        for (Any detail : status.getDetailsList()) {
            if (detail.is(type)) {
                try {
                    return Optional.of(detail.unpack(type));
                } catch (InvalidProtocolBufferException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}
