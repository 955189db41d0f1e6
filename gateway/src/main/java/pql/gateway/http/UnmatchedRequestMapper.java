package pql.gateway.http;

import io.grpc.Status;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.List;

/**
 * A request Jersey refuses before any resource runs (no such path, a GET on a POST-only route, an
 * unsupported body type) answered in the API's one error shape, {@link ErrorBody}, pointing at the
 * index or the OpenAPI document, instead of Jersey's own body. The HTTP status stays Jersey's.
 */
@Provider
public final class UnmatchedRequestMapper implements ExceptionMapper<ClientErrorException> {

    @Context
    private UriInfo uri;

    @Override
    public Response toResponse(ClientErrorException exception) {
        int status = exception.getResponse().getStatus();
        String path = uri == null ? "" : "/" + uri.getPath();
        Status.Code code;
        String message;
        if (exception instanceof NotFoundException) {
            code = Status.Code.NOT_FOUND;
            message = "no resource " + path + "; the resources are listed at /api/v1/";
        } else if (exception instanceof NotAllowedException || exception instanceof NotSupportedException) {
            code = Status.Code.UNIMPLEMENTED;
            message = exception.getMessage() + " for " + path + "; see /api/v1/openapi.json";
        } else {
            code = Status.Code.INVALID_ARGUMENT;
            message = exception.getMessage();
        }
        return Response.fromResponse(exception.getResponse())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(code.name(), status, message, List.of()))
                .build();
    }
}
