package pql.systemtests.processes;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import pql.gateway.auth.ApiKeys;
import pql.systemtests.RepoFiles;
import pql.systemtests.config.ComposeFile;
import pql.systemtests.config.Dockerfile;
import pql.systemtests.processes.OtlpReceiver.ReceivedSpan;
import pql.v1.Event;
import pql.v1.EventResult;
import pql.v1.ForecastServiceGrpc;
import pql.v1.GetAccountScoreRequest;
import pql.v1.GetForecastRequest;
import pql.v1.IngestEventRequest;
import pql.v1.IngestServiceGrpc;
import pql.v1.ProductAction;
import pql.v1.ScoringServiceGrpc;

/**
 * docker-compose.yml without Docker: ingest, scoring, forecast and the gateway each in its own
 * JVM, started as its image starts it (the Dockerfile stage's main class, {@code server}, its
 * docker/config file) with the environment compose gives it, but loopback ports for the compose
 * network's names, a real PostgreSQL as the shared event store in place of KurrentDB, and an OTLP
 * receiver in place of the collector. A call through the gateway must come out as one trace
 * exported over OTLP by the processes it crossed, and the services' metrics must arrive too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContainersAsProcessesTest {

    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration EXPORT = Duration.ofSeconds(60);
    private static final String ACCOUNT = "acme-processes";

    @TempDir
    static Path dir;

    private EmbeddedPostgres postgres;
    private OtlpReceiver otlp;
    private final List<ServiceProcess> processes = new ArrayList<>();
    private final String apiKey = ApiKeys.generate();
    private int gatewayGrpcPort;
    private ManagedChannel gatewayChannel;

    /** A compose service and the ports it gets here. */
    private record Service(String composeName, String target, String configFile, int grpcPort, int httpPort,
            int adminPort) {
    }

    @BeforeAll
    void startTheStack() throws Exception {
        postgres = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60)).start();
        otlp = new OtlpReceiver();
        ComposeFile compose = ComposeFile.load(RepoFiles.file("docker-compose.yml"));
        Dockerfile dockerfile = Dockerfile.read(RepoFiles.file("docker/Dockerfile"));

        Service ingest = service("ingest", "ingest", "docker/config/ingest.yml");
        Service scoring = service("scoring-1", "scoring", "docker/config/scoring.yml");
        Service forecast = service("forecast", "forecast", "docker/config/forecast.yml");
        Service gateway = service("gateway", "gateway", "docker/config/gateway.yml");
        gatewayGrpcPort = gateway.grpcPort();

        Map<String, Map<String, String>> overrides = new HashMap<>();
        for (Service store : List.of(ingest, scoring)) {
            overrides.put(store.composeName(), Map.of(
                    "PQL_EVENT_STORE_ENGINE", "postgres",
                    "PQL_POSTGRES_URL", postgres.getJdbcUrl("postgres", "postgres"),
                    "PQL_POSTGRES_USER", "postgres",
                    "PQL_POSTGRES_PASSWORD", ""));
        }
        // Compose gives scoring its own PostgreSQL for shared claims and checkpoints; here the same server stands in.
        Map<String, String> scoringOverrides = new HashMap<>(overrides.get(scoring.composeName()));
        scoringOverrides.put("PQL_SCORING_SHARED_STATE_URL", postgres.getJdbcUrl("postgres", "postgres"));
        scoringOverrides.put("PQL_SCORING_SHARED_STATE_USER", "postgres");
        scoringOverrides.put("PQL_SCORING_SHARED_STATE_PASSWORD", "");
        overrides.put(scoring.composeName(), scoringOverrides);
        overrides.put("forecast", Map.of("PQL_SCORING_TARGET", "127.0.0.1:" + scoring.grpcPort()));
        overrides.put("gateway", Map.of(
                "PQL_INGEST_TARGET", "127.0.0.1:" + ingest.grpcPort(),
                "PQL_SCORING_TARGET", "127.0.0.1:" + scoring.grpcPort(),
                "PQL_FORECAST_TARGET", "127.0.0.1:" + forecast.grpcPort(),
                "PQL_API_KEYS", "[{name: e2e, sha256: " + ApiKeys.sha256Hex(apiKey)
                        + ", scopes: [ingest:write, scores:read, forecast:read]}]",
                "PQL_LOCAL_KEY_ENABLED", "false"));

        try {
            for (Service service : List.of(ingest, scoring, forecast, gateway)) {
                Map<String, String> env = new HashMap<>(compose.environment(service.composeName()));
                env.remove("JAVA_OPTS");
                env.put("PQL_GRPC_PORT", String.valueOf(service.grpcPort()));
                env.put("PQL_HTTP_PORT", String.valueOf(service.httpPort()));
                env.put("PQL_ADMIN_PORT", String.valueOf(service.adminPort()));
                env.put("PQL_ADMIN_HOST", "127.0.0.1");
                env.put("PQL_DATA_DIR", Files.createDirectories(dir.resolve(service.composeName())).toString());
                env.put("OTEL_EXPORTER_OTLP_ENDPOINT", otlp.endpoint());
                env.putAll(overrides.getOrDefault(service.composeName(), Map.of()));
                String mainClass = dockerfile.stage(service.target()).env().get("PQL_MAIN_CLASS");
                processes.add(ServiceProcess.start(service.composeName(), mainClass, RepoFiles.file(service.configFile()),
                        env, service.adminPort(), dir));
            }
            for (ServiceProcess process : processes) {
                process.awaitHealthy(START);
            }
        } catch (Exception | Error e) {
            stopTheStack();
            throw e;
        }

        gatewayChannel = Grpc.newChannelBuilder("127.0.0.1:" + gatewayGrpcPort, InsecureChannelCredentials.create()).build();
    }

    @AfterAll
    void stopTheStack() throws Exception {
        if (gatewayChannel != null) {
            gatewayChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).close();
        }
        processes.clear();
        if (otlp != null) {
            otlp.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aCallThroughTheGatewayIsOneTraceExportedOverOtlpByEveryProcessItCrossed() {
        String traceId = randomHex(16);
        String clientSpanId = randomHex(8);
        Channel traced = channel(Map.of("traceparent", "00-" + traceId + "-" + clientSpanId + "-01"));
        EventResult result = IngestServiceGrpc.newBlockingStub(traced).withDeadlineAfter(10, TimeUnit.SECONDS)
                .ingestEvent(IngestEventRequest.newBuilder().setEvent(action("processes-1")).build()).getResult();
        assertThat(result.getStatus()).isEqualTo(EventResult.Status.STATUS_ACCEPTED);

        ReceivedSpan gatewayServer = await("the gateway's server span", () -> child(traceId, clientSpanId, "pql-gateway", OtlpReceiver.KIND_SERVER));
        ReceivedSpan gatewayClient = await("the gateway's call to ingest", () -> child(traceId, gatewayServer.spanId(), "pql-gateway", OtlpReceiver.KIND_CLIENT));
        ReceivedSpan ingestServer = await("ingest's server span", () -> child(traceId, gatewayClient.spanId(), "pql-ingest-service", OtlpReceiver.KIND_SERVER));
        ReceivedSpan append = await("the store append", () -> child(traceId, ingestServer.spanId(), "pql-ingest-service", OtlpReceiver.KIND_INTERNAL));
        assertThat(List.of(gatewayServer.name(), gatewayClient.name(), ingestServer.name()))
                .containsOnly("pql.v1.IngestService/IngestEvent");
        assertThat(append.name()).isEqualTo("ingest.append");

        // the event reaches the scoring process through the shared store; forecast reads it from scoring
        Channel client = channel(Map.of());
        await("the account's score through the gateway", () -> {
            try {
                return Optional.of(ScoringServiceGrpc.newBlockingStub(client).withDeadlineAfter(5, TimeUnit.SECONDS)
                        .getAccountScore(GetAccountScoreRequest.newBuilder().setAccountId(ACCOUNT).build()));
            } catch (StatusRuntimeException notYet) {
                return Optional.empty();
            }
        });
        ForecastServiceGrpc.newBlockingStub(client).withDeadlineAfter(30, TimeUnit.SECONDS)
                .getForecast(GetForecastRequest.getDefaultInstance());
        for (String service : List.of("pql-scoring-service", "pql-forecast-service")) {
            await(service + "'s spans", () -> otlp.spans().stream().filter(s -> s.service().equals(service)
                    && s.kind() == OtlpReceiver.KIND_SERVER).findFirst());
        }
    }

    @Test
    void theServicesMetricsReachTheCollectorEndpoint() {
        IngestServiceGrpc.newBlockingStub(channel(Map.of())).withDeadlineAfter(10, TimeUnit.SECONDS)
                .ingestEvent(IngestEventRequest.newBuilder().setEvent(action("processes-metrics")).build());
        for (String[] expected : new String[][] {
                {"pql-ingest-service", "pql.ingest.events"},
                {"pql-scoring-service", "pql.scoring.projection_lag"},
                {"pql-gateway", "rpc.server.duration"}}) {
            await(expected[0] + " exporting " + expected[1], () -> otlp.metrics().stream()
                    .filter(m -> m.service().equals(expected[0]) && m.name().equals(expected[1])).findFirst());
        }
    }

    // ------------------------------------------------------------------------------------------

    private Channel channel(Map<String, String> extraHeaders) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + apiKey);
        extraHeaders.forEach((key, value) -> headers.put(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER), value));
        return ClientInterceptors.intercept(gatewayChannel, MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private Optional<ReceivedSpan> child(String traceId, String parentSpanId, String service, int kind) {
        return otlp.spans().stream().filter(s -> s.traceId().equals(traceId) && s.parentSpanId().equals(parentSpanId)
                && s.service().equals(service) && s.kind() == kind).findFirst();
    }

    private static Event action(String eventId) {
        Instant now = Instant.now();
        return Event.newBuilder().setEventId(eventId).setAccountId(ACCOUNT)
                .setOccurredAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                .setProductAction(ProductAction.newBuilder().setUserId("user-1").setAction("invoice_submitted"))
                .build();
    }

    private static Service service(String composeName, String target, String configFile) throws IOException {
        return new Service(composeName, target, configFile, freePort(), freePort(), freePort());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    private <T> T await(String what, Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + EXPORT.toNanos();
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > deadline) {
                StringBuilder logs = new StringBuilder();
                for (ServiceProcess process : processes) {
                    logs.append("\n--- ").append(process.name()).append(process.isAlive() ? "" : " (exited)").append('\n')
                            .append(process.tail());
                }
                throw new AssertionError("waited " + EXPORT.toSeconds() + " s for " + what + "; received "
                        + otlp.spans().size() + " spans, metrics " + otlp.metrics().stream().map(m -> m.service() + "/" + m.name())
                        .distinct().sorted().toList() + logs);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}
