package pql.common.grpc;

import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.List;
import java.util.Optional;

/** Builds and reads the gRPC errors of the public API. */
public final class GrpcErrors {

    private GrpcErrors() {
    }

    /** INVALID_ARGUMENT with one field violation. */
    public static StatusRuntimeException invalidArgument(String field, String description) {
        return new FieldViolations().add(field, description).toException("invalid request");
    }

    public static StatusRuntimeException notFound(String what) {
        return Status.NOT_FOUND.withDescription(what).asRuntimeException();
    }

    public static StatusRuntimeException failedPrecondition(String why) {
        return Status.FAILED_PRECONDITION.withDescription(why).asRuntimeException();
    }

    public static StatusRuntimeException resourceExhausted(String why) {
        return Status.RESOURCE_EXHAUSTED.withDescription(why).asRuntimeException();
    }

    public static StatusRuntimeException unavailable(String why) {
        return Status.UNAVAILABLE.withDescription(why).asRuntimeException();
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
        for (com.google.protobuf.Any detail : status.getDetailsList()) {
            if (detail.is(BadRequest.class)) {
                try {
                    return Optional.of(detail.unpack(BadRequest.class));
                } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}
