package pql.gateway.keys.grpc;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import pql.common.grpc.ErrorMapping;
import pql.common.grpc.FieldViolations;
import pql.common.grpc.GrpcErrors;
import pql.gateway.auth.Caller;
import pql.gateway.keys.app.KeyLog;
import pql.gateway.keys.app.KeyUseCases;
import pql.gateway.keys.domain.KeyRefusal;
import pql.gateway.keys.store.KeyProtos;
import pql.v1.CreateApiKeyRequest;
import pql.v1.CreateApiKeyResponse;
import pql.v1.KeyServiceGrpc;
import pql.v1.ListApiKeysRequest;
import pql.v1.ListApiKeysResponse;
import pql.v1.RevokeApiKeyRequest;
import pql.v1.RevokeApiKeyResponse;

/**
 * pql.v1.KeyService, served by the gateway itself (scope keys:admin, checked by the interceptor).
 * The gateway's calls run on the transport's threads, which must never block; these calls wait for
 * ingest (the key stream), so each runs on {@code executor} instead.
 */
public final class KeyGrpcService extends KeyServiceGrpc.KeyServiceImplBase {

    /** A current key (runtime or configured) already has the name (ALREADY_EXISTS). */
    public static final String NAME_TAKEN = "API_KEY_NAME_TAKEN";
    /** Another gateway kept changing the key stream while this one tried (ABORTED): try again. */
    public static final String CONFLICT = "API_KEY_CONFLICT";

    private static final ErrorMapping ERRORS = ErrorMapping.builder("keys")
            .map(KeyRefusal.Invalid.class, e -> {
                FieldViolations violations = new FieldViolations();
                e.violations().forEach(violations::add);
                return violations.toException("invalid request: " + String.join("; ", e.violations().values()));
            })
            .map(KeyRefusal.NameTaken.class, e -> GrpcErrors.error(Status.Code.ALREADY_EXISTS, NAME_TAKEN, e.getMessage()))
            .map(KeyRefusal.NotFound.class, e -> GrpcErrors.notFound(e.getMessage()))
            .map(KeyRefusal.Configured.class, e -> GrpcErrors.failedPrecondition(e.getMessage()))
            .map(KeyLog.Conflict.class, e -> GrpcErrors.error(Status.Code.ABORTED, CONFLICT,
                    "the keys changed concurrently several times: try again"))
            .build();

    private final KeyUseCases keys;
    private final Executor executor;

    public KeyGrpcService(KeyUseCases keys, Executor executor) {
        this.keys = keys;
        this.executor = executor;
    }

    /** Answers the call on the executor, with the call's context (the caller) carried over. */
    private <T> void offload(StreamObserver<T> responses, Supplier<T> call) {
        try {
            executor.execute(Context.current().wrap(() -> ERRORS.unary(responses, call)));
        } catch (RejectedExecutionException stopping) {
            responses.onError(GrpcErrors.unavailable("the gateway is stopping"));
        }
    }

    @Override
    public void createApiKey(CreateApiKeyRequest request, StreamObserver<CreateApiKeyResponse> responses) {
        offload(responses, () -> {
            Instant expiresAt = request.hasExpiresAt() ? KeyProtos.instant(request.getExpiresAt()) : null;
            KeyUseCases.Created created = keys.create(request.getName(), request.getScopesList(), expiresAt, principal());
            return CreateApiKeyResponse.newBuilder().setKey(KeyProtos.info(created.key())).setSecret(created.secret()).build();
        });
    }

    @Override
    public void listApiKeys(ListApiKeysRequest request, StreamObserver<ListApiKeysResponse> responses) {
        offload(responses, () -> {
            ListApiKeysResponse.Builder response = ListApiKeysResponse.newBuilder();
            keys.list().forEach(key -> response.addKeys(KeyProtos.info(key)));
            return response.build();
        });
    }

    @Override
    public void revokeApiKey(RevokeApiKeyRequest request, StreamObserver<RevokeApiKeyResponse> responses) {
        offload(responses, () -> {
            if (request.getName().isEmpty()) {
                throw GrpcErrors.invalidArgument("name", "is required");
            }
            KeyUseCases.Revoked revoked = keys.revoke(request.getName(), principal());
            return RevokeApiKeyResponse.newBuilder().setKey(KeyProtos.info(revoked.key()))
                    .setRevokedAt(KeyProtos.timestamp(revoked.revokedAt())).build();
        });
    }

    /** The calling key's name ("" outside an authenticated call, e.g. in-process tests without the interceptor). */
    private static String principal() {
        String name = Caller.currentName();
        return name == null ? "" : name;
    }
}
