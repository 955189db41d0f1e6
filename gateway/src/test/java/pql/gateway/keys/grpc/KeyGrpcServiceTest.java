package pql.gateway.keys.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pql.common.grpc.ErrorInfoInterceptor;
import pql.common.grpc.GrpcErrors;
import pql.gateway.auth.ApiKeyConfig;
import pql.gateway.auth.ApiKeyRegistry;
import pql.gateway.auth.ApiKeyServerInterceptor;
import pql.gateway.auth.ApiKeys;
import pql.gateway.keys.app.KeyFollower;
import pql.gateway.keys.app.KeyUseCases;
import pql.gateway.keys.store.IngestKeyLog;
import pql.gateway.support.InMemoryApiKeyLog;
import pql.gateway.support.RunningGateway;
import pql.v1.CreateApiKeyRequest;
import pql.v1.CreateApiKeyResponse;
import pql.v1.KeyServiceGrpc;
import pql.v1.ListApiKeysRequest;
import pql.v1.RevokeApiKeyRequest;

/** KeyService in process behind the gateway's own interceptors: each method, its bad inputs, and the scope. */
class KeyGrpcServiceTest {

    private static final String KEYMASTER = ApiKeys.generate();
    private static final String READER = ApiKeys.generate();

    private Server server;
    private Server store;
    private ManagedChannel channel;
    private ManagedChannel storeChannel;
    private final java.util.concurrent.ExecutorService calls = java.util.concurrent.Executors.newFixedThreadPool(2);

    @BeforeEach
    void start() throws Exception {
        String storeName = InProcessServerBuilder.generateName();
        store = InProcessServerBuilder.forName(storeName).addService(new InMemoryApiKeyLog()).build().start();
        storeChannel = InProcessChannelBuilder.forName(storeName).build();
        IngestKeyLog log = new IngestKeyLog(storeChannel, Duration.ofSeconds(5));
        ApiKeyRegistry registry = ApiKeyRegistry.of(List.of(
                new ApiKeyConfig("keymaster", ApiKeys.sha256Hex(KEYMASTER), List.of("keys:admin")),
                new ApiKeyConfig("reader", ApiKeys.sha256Hex(READER), List.of("scores:read"))));
        KeyFollower follower = new KeyFollower(log, registry::useRuntimeKeys, Duration.ofSeconds(1));
        KeyUseCases keys = new KeyUseCases(log, registry::configuredNames, Clock.systemUTC(), ApiKeys::generate, follower::pollQuietly);
        String name = InProcessServerBuilder.generateName();
        // direct executor, as the gateway: a blocking call on the transport thread would hang here
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(ServerInterceptors.intercept(new KeyGrpcService(keys, calls), new ApiKeyServerInterceptor(registry),
                        new ErrorInfoInterceptor()))
                .build().start();
        channel = InProcessChannelBuilder.forName(name).build();
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        storeChannel.shutdownNow();
        server.shutdownNow();
        store.shutdownNow();
        calls.shutdownNow();
    }

    private KeyServiceGrpc.KeyServiceBlockingStub as(String key) {
        return KeyServiceGrpc.newBlockingStub(channel).withCallCredentials(RunningGateway.bearer(key));
    }

    private static StatusRuntimeException refusal(Runnable call) {
        return catchThrowableOfType(call::run, StatusRuntimeException.class);
    }

    @Test
    void createListRevokeAndTheCreatedKeyCanManageKeysAtOnce() {
        CreateApiKeyResponse created = as(KEYMASTER).createApiKey(CreateApiKeyRequest.newBuilder().setName("deputy")
                .addScopes("keys:admin").build());

        assertThat(created.getSecret()).startsWith("pql_").endsWith(created.getKey().getLastFour());
        assertThat(created.getKey().getCreatedBy()).isEqualTo("keymaster");
        // effective on this gateway as soon as the call returns
        var listed = as(created.getSecret()).listApiKeys(ListApiKeysRequest.getDefaultInstance());
        assertThat(listed.getKeysList()).singleElement().satisfies(key -> {
            assertThat(key.getName()).isEqualTo("deputy");
            assertThat(key.getScopesList()).containsExactly("keys:admin");
            assertThat(key.toString()).doesNotContain(created.getSecret());
        });
        var revoked = as(KEYMASTER).revokeApiKey(RevokeApiKeyRequest.newBuilder().setName("deputy").build());
        assertThat(revoked.getKey().getName()).isEqualTo("deputy");
        assertThat(refusal(() -> as(created.getSecret()).listApiKeys(ListApiKeysRequest.getDefaultInstance()))
                .getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    @Test
    void aDuplicateNameIsAlreadyExistsAndAYamlNameToo() {
        as(KEYMASTER).createApiKey(CreateApiKeyRequest.newBuilder().setName("dash").addScopes("dashboard:read").build());

        StatusRuntimeException twice = refusal(() -> as(KEYMASTER).createApiKey(CreateApiKeyRequest.newBuilder()
                .setName("dash").addScopes("scores:read").build()));
        StatusRuntimeException yaml = refusal(() -> as(KEYMASTER).createApiKey(CreateApiKeyRequest.newBuilder()
                .setName("reader").addScopes("scores:read").build()));

        assertThat(twice.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
        assertThat(GrpcErrors.errorInfoOf(twice).orElseThrow().getReason()).isEqualTo(KeyGrpcService.NAME_TAKEN);
        assertThat(yaml.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
        assertThat(yaml.getStatus().getDescription()).contains("YAML");
    }

    @Test
    void anUnknownScopeIsInvalidArgumentListingTheValidScopes() {
        StatusRuntimeException error = refusal(() -> as(KEYMASTER).createApiKey(CreateApiKeyRequest.newBuilder()
                .setName("x").addScopes("scores:read").addScopes("everything").build()));

        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(error.getStatus().getDescription()).contains("unknown scope 'everything'", "valid scopes: ingest:write",
                "dashboard:read", "keys:admin");
        assertThat(GrpcErrors.fieldViolations(error)).singleElement()
                .satisfies(violation -> assertThat(violation.getField()).isEqualTo("scopes[1]"));
    }

    @Test
    void badNamesNoScopesAndPastExpiriesAreFieldViolations() {
        StatusRuntimeException error = refusal(() -> as(KEYMASTER).createApiKey(CreateApiKeyRequest.newBuilder()
                .setName("no spaces please").setExpiresAt(com.google.protobuf.Timestamp.newBuilder().setSeconds(1)).build()));

        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(GrpcErrors.fieldViolations(error)).extracting(v -> v.getField())
                .containsExactly("name", "scopes", "expires_at");
    }

    @Test
    void revokingAnUnknownKeyIsNotFoundAndAYamlKeyFailedPrecondition() {
        StatusRuntimeException unknown = refusal(() -> as(KEYMASTER).revokeApiKey(RevokeApiKeyRequest.newBuilder().setName("ghost").build()));
        StatusRuntimeException yaml = refusal(() -> as(KEYMASTER).revokeApiKey(RevokeApiKeyRequest.newBuilder().setName("reader").build()));
        StatusRuntimeException empty = refusal(() -> as(KEYMASTER).revokeApiKey(RevokeApiKeyRequest.getDefaultInstance()));

        assertThat(unknown.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(GrpcErrors.errorInfoOf(unknown).orElseThrow().getReason()).isEqualTo("NOT_FOUND");
        assertThat(yaml.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(empty.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void withoutKeysAdminEveryMethodIsPermissionDenied() {
        for (Runnable call : List.<Runnable>of(
                () -> as(READER).listApiKeys(ListApiKeysRequest.getDefaultInstance()),
                () -> as(READER).createApiKey(CreateApiKeyRequest.newBuilder().setName("mine").addScopes("admin").build()),
                () -> as(READER).revokeApiKey(RevokeApiKeyRequest.newBuilder().setName("keymaster").build()))) {
            StatusRuntimeException error = refusal(call);
            assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(error.getStatus().getDescription()).contains("keys:admin");
        }
        assertThat(as(KEYMASTER).listApiKeys(ListApiKeysRequest.getDefaultInstance()).getKeysList()).isEmpty();
    }
}
