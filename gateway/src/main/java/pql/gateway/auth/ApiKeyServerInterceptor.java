package pql.gateway.auth;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import org.slf4j.LoggerFactory;
import pql.common.grpc.GrpcErrors;
import pql.common.logging.RateLimitedLog;

/**
 * Lets a call through only with a known key holding the method's scope: UNAUTHENTICATED for a
 * missing or unknown key, PERMISSION_DENIED naming the scope that is missing. Health and
 * reflection stay open. The key itself never reaches a log or a backend.
 */
public final class ApiKeyServerInterceptor implements ServerInterceptor {

    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> X_API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);

    /** Real keys are 47 characters; anything much longer is not a key and is not hashed. */
    static final int MAX_KEY_LENGTH = 256;

    private static final RateLimitedLog REFUSALS =
            new RateLimitedLog(LoggerFactory.getLogger(ApiKeyServerInterceptor.class), Duration.ofSeconds(10));

    private final ApiKeyRegistry keys;
    private final MethodScopes scopes = new MethodScopes();

    public ApiKeyServerInterceptor(ApiKeyRegistry keys) {
        this.keys = keys;
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
            ServerCallHandler<ReqT, RespT> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        MethodScopes.Requirement requirement = scopes.of(method);
        if (requirement instanceof MethodScopes.Open) {
            return next.startCall(call, headers);
        }
        String presented = PresentedKey.from(headers.get(AUTHORIZATION), headers.get(X_API_KEY));
        headers.discardAll(AUTHORIZATION);
        headers.discardAll(X_API_KEY);
        if (presented == null) {
            return refuse(call, GrpcErrors.error(Status.Code.UNAUTHENTICATED, "API_KEY_MISSING",
                    "an API key is required: send 'authorization: Bearer <key>' or 'x-api-key: <key>'"));
        }
        if (presented.length() > MAX_KEY_LENGTH) {
            REFUSALS.warn("oversized-key", "refused " + method + ": an API key of " + presented.length()
                    + " characters (at most " + MAX_KEY_LENGTH + ")");
            return refuse(call, GrpcErrors.error(Status.Code.UNAUTHENTICATED, "API_KEY_TOO_LONG",
                    "the API key is longer than " + MAX_KEY_LENGTH + " characters"));
        }
        Caller caller = keys.authenticate(presented).orElse(null);
        if (caller == null) {
            return refuse(call, GrpcErrors.error(Status.Code.UNAUTHENTICATED, "API_KEY_UNKNOWN", "unknown API key"));
        }
        if (requirement instanceof MethodScopes.Needs needs && !caller.has(needs.scope())) {
            return refuse(call, GrpcErrors.error(Status.Code.PERMISSION_DENIED, "SCOPE_MISSING",
                    "API key '" + caller.name() + "' lacks the scope " + needs.scope().label() + " required by " + method));
        }
        if (requirement instanceof MethodScopes.Unknown) {
            return refuse(call, GrpcErrors.error(Status.Code.PERMISSION_DENIED, "SCOPE_MISSING", "no scope grants " + method));
        }
        Context context = Context.current().withValue(Caller.CURRENT, caller);
        return Contexts.interceptCall(context, call, headers, next);
    }

    private static <ReqT, RespT> ServerCall.Listener<ReqT> refuse(ServerCall<ReqT, RespT> call, StatusRuntimeException refusal) {
        call.close(refusal.getStatus(), refusal.getTrailers());
        return new ServerCall.Listener<>() {
        };
    }
}
