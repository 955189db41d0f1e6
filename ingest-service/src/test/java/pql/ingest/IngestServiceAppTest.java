package pql.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import pql.ingest.support.StreamClient;
import pql.ingest.support.TestEvents;
import pql.v1.Event;
import pql.v1.EventResult;
import pql.v1.IngestBatchRequest;
import pql.v1.IngestEventRequest;
import pql.v1.IngestServiceGrpc;
import pql.v1.IngestStreamRequest;

/** The standalone process as config.yml starts it, called over real ports. */
@ExtendWith(DropwizardExtensionsSupport.class)
class IngestServiceAppTest {

    private static final Path DATA = temporaryDirectory();
    /** The admin port needs a key since issue #13 (finding 5); /healthcheck stays open. */
    static final String ADMIN_KEY = "pql_ingest-admin-test-key-0123456789abcdef";
    static final String ADMIN_KEY_SHA256 = sha256Hex(ADMIN_KEY);

    static final DropwizardAppExtension<IngestServiceConfig> APP = new DropwizardAppExtension<>(IngestServiceApp.class,
            "config.yml",
            new SubstitutingSourceProvider(new FileConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)),
            ConfigOverride.config("server.applicationConnectors[0].port", "0"),
            ConfigOverride.config("server.adminConnectors[0].port", "0"),
            ConfigOverride.config("grpc.port", "0"),
            ConfigOverride.config("eventStore.directory", DATA.resolve("events").toString()),
            ConfigOverride.config("logging.level", "WARN"),
            ConfigOverride.config("adminAuth.apiKeySha256", IngestServiceAppTest.ADMIN_KEY_SHA256));

    private final HttpClient http = HttpClient.newHttpClient();
    private ManagedChannel channel;

    @BeforeEach
    void connect() {
        int port = APP.<IngestServiceApp>getApplication().grpcServer().port();
        channel = Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create()).build();
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @AfterAll
    static void deleteData() throws IOException {
        try (Stream<Path> files = Files.walk(DATA)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    @Test
    void everyCallShapeWorksOverTheNettyPort() throws Exception {
        IngestServiceGrpc.IngestServiceBlockingStub stub = IngestServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(30, TimeUnit.SECONDS);

        EventResult single = stub.ingestEvent(IngestEventRequest.newBuilder().setEvent(event("app-1")).build()).getResult();
        int batchAccepted = stub.ingestBatch(IngestBatchRequest.newBuilder()
                .addEvents(event("app-2")).addEvents(event("app-1")).build()).getAccepted();
        StreamClient stream = StreamClient.run(IngestServiceGrpc.newStub(channel), List.of(
                IngestStreamRequest.newBuilder().setSequence(1).addEvents(event("app-3")).build()));

        assertThat(single.getStatus()).isEqualTo(EventResult.Status.STATUS_ACCEPTED);
        assertThat(batchAccepted).isEqualTo(1);
        assertThat(stream.awaitEnd().getCode()).isEqualTo(Status.Code.OK);
        assertThat(stream.responses().get(0).getAccepted()).isEqualTo(1);

        JsonNode metrics = getJson("/metrics");
        assertThat(metrics.at("/meters/pql.ingest.events.accepted/count").asLong()).isEqualTo(3);
        assertThat(metrics.at("/meters/pql.ingest.events.duplicate/count").asLong()).isEqualTo(1);
        assertThat(metrics.at("/timers/pql.ingest.store.append/count").asLong()).isEqualTo(3);
    }

    @Test
    void theAdminPortReportsTheStoreHealthyAndGrpcHealthSaysServing() throws Exception {
        HttpResponse<String> health = get("/healthcheck");

        assertThat(health.statusCode()).isEqualTo(200);
        JsonNode checks = new ObjectMapper().readTree(health.body());
        assertThat(checks.at("/event-store/healthy").asBoolean()).isTrue();
        assertThat(checks.at("/event-store/message").asText()).contains("embedded-rocksdb");

        HealthCheckResponse serving = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService(IngestServiceGrpc.SERVICE_NAME).build());
        assertThat(serving.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }

    /** A minute before the tests started, by the real clock (the app runs on Clock.systemUTC()). */
    private static final Instant OCCURRED_AT = Instant.now().minusSeconds(60);

    /** The same event for the same id every time, so sending an id again is a duplicate, not a reused id. */
    private static Event event(String id) {
        return TestEvents.productAction(id, "app-test").toBuilder().setOccurredAt(TestEvents.timestamp(OCCURRED_AT)).build();
    }

    private JsonNode getJson(String path) throws Exception {
        return new ObjectMapper().readTree(get(path).body());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getAdminPort() + path))
                        .header("X-Api-Key", ADMIN_KEY).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("ingest-app-test");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256Hex(String key) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
