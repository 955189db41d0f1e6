package pql.gateway.http;

import io.grpc.Status;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import pql.common.api.NameSuggestions;

/**
 * Refuses a query parameter the resource method does not take (a typo such as {@code pqlOnly}
 * would otherwise be ignored silently and answer as if no filter had been asked): 400 with one
 * field violation per unknown parameter, the closest allowed name ("did you mean pql_only?") and
 * the allowed ones. The allowed names are the method's own {@code @QueryParam}s, so every
 * resource registered with Jersey is covered without doing anything (see {@link AnyQueryParameters}).
 */
public final class StrictQueryParameters implements DynamicFeature {

    @Override
    public void configure(ResourceInfo resourceInfo, FeatureContext context) {
        Method method = resourceInfo.getResourceMethod();
        if (method.isAnnotationPresent(AnyQueryParameters.class)
                || resourceInfo.getResourceClass().isAnnotationPresent(AnyQueryParameters.class)) {
            return;
        }
        context.register(new Filter(declared(method)));
    }

    /** The query parameter names {@code method} declares, in declaration order. */
    static Set<String> declared(Method method) {
        Set<String> names = new LinkedHashSet<>();
        for (Parameter parameter : method.getParameters()) {
            QueryParam query = parameter.getAnnotation(QueryParam.class);
            if (query != null) {
                names.add(query.value());
            }
        }
        return names;
    }

    /** After the key check: a caller without a key learns nothing about parameters. */
    @Priority(Priorities.AUTHORIZATION + 1)
    private static final class Filter implements ContainerRequestFilter {

        private final Set<String> allowed;

        Filter(Set<String> allowed) {
            this.allowed = allowed;
        }

        @Override
        public void filter(ContainerRequestContext request) {
            List<ErrorBody.FieldViolation> violations = new ArrayList<>();
            for (String name : request.getUriInfo().getQueryParameters().keySet()) {
                if (!allowed.contains(name)) {
                    violations.add(new ErrorBody.FieldViolation(name, unknown(name)));
                }
            }
            if (!violations.isEmpty()) {
                request.abortWith(GrpcStatusExceptionMapper.HttpErrorsSupport.response(Status.Code.INVALID_ARGUMENT,
                        "unknown query parameters", violations));
            }
        }

        private String unknown(String name) {
            String allowedList = allowed.isEmpty() ? "this resource takes no query parameters"
                    : "allowed: " + String.join(", ", allowed);
            return "unknown parameter" + NameSuggestions.closest(name, allowed).map(best -> "; did you mean " + best + "?")
                    .orElse("") + "; " + allowedList;
        }
    }
}
