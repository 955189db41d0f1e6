package pql.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.v1.DefinitionServiceGrpc;
import pql.v1.GetDefinitionRequest;

/** The standalone process as config.yml describes it: gRPC on Netty, health checks and metrics on the admin port. */
class ScoringServiceAppTest {

    @TempDir
    Path directory;

    private DropwizardTestSupport<ScoringServiceConfig> app;

    @BeforeEach
    void start() throws Exception {
        app = new DropwizardTestSupport<>(ScoringServiceApp.class, Path.of("config.yml").toAbsolutePath().toString(),
                ConfigOverride.config("server.applicationConnectors[0].port", "0"),
                ConfigOverride.config("server.adminConnectors[0].port", "0"),
                ConfigOverride.config("grpc.port", "0"),
                ConfigOverride.config("grpc.host", "127.0.0.1"),
                ConfigOverride.config("eventStore.directory", directory.resolve("events").toString()),
                ConfigOverride.config("scoring.dataDirectory", directory.resolve("scoring").toString()),
                ConfigOverride.config("adminAuth.apiKeySha256", sha256Hex(ADMIN_KEY)));
        app.before();
    }

    @AfterEach
    void stop() {
        app.after();
    }

    @Test
    void servesGrpcAndReportsHealthAndMetrics() throws Exception {
        ScoringServiceApp application = app.getApplication();
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", application.grpcServer().port())
                .usePlaintext().build();
        try {
            var active = DefinitionServiceGrpc.newBlockingStub(channel).getDefinition(GetDefinitionRequest.getDefaultInstance());
            assertThat(active.getVersion()).isEqualTo(1);
        } finally {
            channel.shutdownNow();
        }
        // healthy (and SERVING) once the projection has caught up with the log head at start
        pql.scoring.testing.Await.until("scoring ready", () -> application.module().readiness().isReady());
        ManagedChannel healthChannel = NettyChannelBuilder.forAddress("127.0.0.1", application.grpcServer().port())
                .usePlaintext().build();
        try {
            assertThat(io.grpc.health.v1.HealthGrpc.newBlockingStub(healthChannel).check(
                    io.grpc.health.v1.HealthCheckRequest.newBuilder().setService("pql.v1.ScoringService").build())
                    .getStatus()).isEqualTo(io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
        } finally {
            healthChannel.shutdownNow();
        }
        HttpClient http = HttpClient.newHttpClient();
        String admin = "http://127.0.0.1:" + app.getAdminPort();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(admin + "/healthcheck")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"scoring-projection\"").contains("\"event-store\"");
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(admin + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).as("the admin port needs a key (issue #13)").isEqualTo(401);
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(admin + "/metrics"))
                        .header("Authorization", "Bearer " + ADMIN_KEY).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).contains("scoring.events-applied").contains("scoring.projection-lag")
                .contains("scoring.projection-lag-seconds").contains("scoring.alerts.failed-attempts");
        // the GetDefinition call above, counted per method and code, also as Prometheus text
        HttpResponse<String> prometheus = http.send(HttpRequest.newBuilder(URI.create(admin + "/prometheus"))
                        .header("Authorization", "Bearer " + ADMIN_KEY).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(prometheus.body()).contains("grpc_server_pql_v1_DefinitionService_GetDefinition_code_OK_total 1.0\n")
                .contains("grpc_server_pql_v1_DefinitionService_GetDefinition_latency_seconds_count 1\n")
                .contains("scoring_projection_lag 0.0\n");
    }

    private static final String ADMIN_KEY = "pql_scoring-admin-test-key-0123456789abcdef";

    private static String sha256Hex(String key) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
