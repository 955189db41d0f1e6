package pql.gateway.http;

import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import pql.common.grpc.GrpcErrors;

/** A failed backend call (or a bad query parameter) as an HTTP error with the field violations. */
@Provider
public final class GrpcStatusExceptionMapper implements ExceptionMapper<StatusRuntimeException> {

    @Override
    public Response toResponse(StatusRuntimeException exception) {
        ErrorBody body = HttpErrorsSupport.body(exception);
        return HttpErrorsSupport.response(exception.getStatus().getCode(), body.message(), body.fieldViolations());
    }

    /** Shared with the auth filter, which answers without an exception. */
    static final class HttpErrorsSupport {

        private HttpErrorsSupport() {
        }

        /** The error body of a failed call, e.g. for a stream that fails after its first line. */
        static ErrorBody body(StatusRuntimeException exception) {
            Status status = exception.getStatus();
            List<ErrorBody.FieldViolation> violations = GrpcErrors.fieldViolations(exception).stream()
                    .map(HttpErrorsSupport::toJson)
                    .toList();
            return new ErrorBody(status.getCode().name(), HttpStatuses.of(status.getCode()),
                    status.getDescription() == null ? status.getCode().name() : status.getDescription(), violations);
        }

        static ErrorBody.FieldViolation toJson(BadRequest.FieldViolation violation) {
            return new ErrorBody.FieldViolation(violation.getField(), violation.getDescription());
        }

        static Response response(Status.Code code, String message, List<ErrorBody.FieldViolation> violations) {
            int http = HttpStatuses.of(code);
            return Response.status(http)
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ErrorBody(code.name(), http, message, violations))
                    .build();
        }
    }
}
