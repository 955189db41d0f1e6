package pql.gateway.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import pql.gateway.auth.Caller;

final class Callers {

    private Callers() {
    }

    /** The caller {@link ApiKeyAuthFeature} authenticated for this request. */
    static Caller of(ContainerRequestContext request) {
        Object caller = request.getProperty(ApiKeyAuthFeature.CALLER_PROPERTY);
        if (caller == null) {
            throw new IllegalStateException("resource method without @RequiresScope");
        }
        return (Caller) caller;
    }
}
