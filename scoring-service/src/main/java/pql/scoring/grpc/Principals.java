package pql.scoring.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * The caller's name as the gateway forwards it (metadata header {@code pql-principal}, the API key's
 * name); recorded as published_by / activated_by. "anonymous" when a call comes without it.
 */
public final class Principals implements ServerInterceptor {

    public static final Metadata.Key<String> HEADER = Metadata.Key.of("pql-principal", Metadata.ASCII_STRING_MARSHALLER);
    public static final String ANONYMOUS = "anonymous";
    private static final Context.Key<String> PRINCIPAL = Context.key("pql-principal");

    public static String current() {
        String principal = PRINCIPAL.get();
        return principal == null || principal.isBlank() ? ANONYMOUS : principal;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String principal = headers.get(HEADER);
        if (principal != null && principal.length() > 200) {
            principal = principal.substring(0, 200);
        }
        return Contexts.interceptCall(Context.current().withValue(PRINCIPAL, principal), call, headers, next);
    }
}
