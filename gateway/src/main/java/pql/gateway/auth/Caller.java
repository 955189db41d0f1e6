package pql.gateway.auth;

import io.grpc.Context;
import java.util.Set;

/** The authenticated owner of an API key, as seen by the current call. */
public record Caller(String name, Set<Scope> scopes) {

    /** Set by {@link ApiKeyServerInterceptor} for the duration of an authenticated gRPC call. */
    public static final Context.Key<Caller> CURRENT = Context.key("pql-caller");

    public Caller {
        scopes = Set.copyOf(scopes);
    }

    public boolean has(Scope scope) {
        return scopes.contains(scope);
    }

    /** The current gRPC call's caller name, null outside an authenticated call. */
    public static String currentName() {
        Caller caller = CURRENT.get();
        return caller == null ? null : caller.name();
    }
}
