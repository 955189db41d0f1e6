package pql.gateway.http;

import io.grpc.Status;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.List;
import pql.gateway.auth.ApiKeyRegistry;
import pql.gateway.auth.Caller;
import pql.gateway.auth.PresentedKey;
import pql.gateway.auth.Scope;

/**
 * The HTTP side of the API keys: every resource method marked {@link RequiresScope} needs a key
 * in {@code X-Api-Key} (or {@code Authorization: Bearer}) with one of its scopes; 401 / 403 otherwise,
 * with the same JSON error body as every other error.
 */
public final class ApiKeyAuthFeature implements DynamicFeature {

    /** Request property holding the authenticated {@link Caller}. */
    public static final String CALLER_PROPERTY = "pql.caller";

    private final ApiKeyRegistry keys;

    public ApiKeyAuthFeature(ApiKeyRegistry keys) {
        this.keys = keys;
    }

    @Override
    public void configure(ResourceInfo resourceInfo, FeatureContext context) {
        RequiresScope required = resourceInfo.getResourceMethod().getAnnotation(RequiresScope.class);
        if (required == null) {
            required = resourceInfo.getResourceClass().getAnnotation(RequiresScope.class);
        }
        if (required != null) {
            context.register(new Filter(keys, required.value()));
        }
    }

    @Priority(Priorities.AUTHENTICATION)
    private static final class Filter implements ContainerRequestFilter {

        private final ApiKeyRegistry keys;
        private final List<Scope> anyOf;

        Filter(ApiKeyRegistry keys, Scope[] anyOf) {
            this.keys = keys;
            this.anyOf = List.of(anyOf);
        }

        @Override
        public void filter(ContainerRequestContext request) {
            String presented = PresentedKey.from(request.getHeaderString(HttpHeaders.AUTHORIZATION),
                    request.getHeaderString("X-Api-Key"));
            if (presented == null) {
                request.abortWith(GrpcStatusExceptionMapper.HttpErrorsSupport.response(Status.Code.UNAUTHENTICATED,
                        "an API key is required: send 'X-Api-Key: <key>'", List.of()));
                return;
            }
            Caller caller = keys.authenticate(presented).orElse(null);
            if (caller == null) {
                request.abortWith(GrpcStatusExceptionMapper.HttpErrorsSupport.response(Status.Code.UNAUTHENTICATED,
                        "unknown API key", List.of()));
                return;
            }
            if (anyOf.stream().noneMatch(caller::has)) {
                request.abortWith(GrpcStatusExceptionMapper.HttpErrorsSupport.response(Status.Code.PERMISSION_DENIED,
                        "API key '" + caller.name() + "' lacks the scope " + anyOf.stream().map(Scope::label)
                                .collect(java.util.stream.Collectors.joining(" or ")), List.of()));
                return;
            }
            request.setProperty(CALLER_PROPERTY, caller);
        }
    }
}
