package pql.systemtests.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.configuration.ConfigurationValidationException;
import io.dropwizard.core.Application;
import io.dropwizard.core.Configuration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import pql.common.grpc.GrpcServerConfig;
import pql.common.telemetry.TelemetryConfig;
import pql.eventstore.config.EventStoreConfig;
import pql.forecast.ForecastServiceApp;
import pql.forecast.ForecastServiceConfig;
import pql.gateway.GatewayApp;
import pql.gateway.GatewayConfig;
import pql.gateway.auth.ApiKeys;
import pql.ingest.IngestServiceApp;
import pql.ingest.IngestServiceConfig;
import pql.scoring.ScoringServiceApp;
import pql.scoring.ScoringServiceConfig;
import pql.systemtests.RepoFiles;

/**
 * The containers' configuration, checked without a Docker engine: each service of
 * docker-compose.yml gets docker/config/&lt;service&gt;.yml (baked into its image, mounted by compose)
 * and the environment compose gives it; loaded through the service's own Dropwizard bootstrap,
 * it must bind and validate, and say what the compose file means it to say.
 */
class ContainerConfigsTest {

    /** A PQL container of docker-compose.yml and what it must come out as. */
    record Container(String service, String configFile, Application<? extends Configuration> app, String target,
            int grpcPort, int adminPort) {

        @Override
        public String toString() {
            return service;
        }
    }

    static Stream<Container> containers() {
        return Stream.of(
                new Container("ingest", "docker/config/ingest.yml", new IngestServiceApp(), "ingest", 50061, 8111),
                new Container("scoring-1", "docker/config/scoring.yml", new ScoringServiceApp(), "scoring", 50062, 8121),
                new Container("scoring-2", "docker/config/scoring.yml", new ScoringServiceApp(), "scoring", 50062, 8121),
                new Container("forecast", "docker/config/forecast.yml", new ForecastServiceApp(), "forecast", 50063, 8131),
                new Container("gateway", "docker/config/gateway.yml", new GatewayApp(), "gateway", 50051, 8081));
    }

    private static ComposeFile compose() throws Exception {
        return ComposeFile.load(RepoFiles.file("docker-compose.yml"));
    }

    private static Configuration load(Container container) throws Exception {
        return DropwizardConfigs.load(container.app(), RepoFiles.file(container.configFile()),
                compose().environment(container.service()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("containers")
    void validatesWithTheEnvironmentComposeGivesIt(Container container) throws Exception {
        Configuration config = load(container);

        GrpcServerConfig grpc = ServiceConfigs.grpc(config);
        TelemetryConfig telemetry = ServiceConfigs.telemetry(config);
        // reachable from the other containers, on the conventional ports
        assertThat(grpc.getHost()).isEqualTo("0.0.0.0");
        assertThat(grpc.getPort()).isEqualTo(container.grpcPort());
        assertThat(grpc.getTls().isEnabled()).isFalse();
        // the image's HEALTHCHECK curls the admin port from inside the container
        assertThat(ServiceConfigs.adminConnector(config).getPort()).isEqualTo(container.adminPort());
        assertThat(ServiceConfigs.adminConnector(config).getBindHost()).isEqualTo("0.0.0.0");
        // every span and metric goes to the collector
        assertThat(telemetry.getOtlpEndpoint()).isEqualTo("http://otel-collector:4317");
        assertThat(telemetry.getSampleRatio()).isEqualTo(1.0);
    }

    @Test
    void ingestAndScoringAppendToAndReadTheSameKurrentDbNode() throws Exception {
        for (Container container : containers().toList()) {
            EventStoreConfig store = ServiceConfigs.eventStore(load(container));
            if (store == null) {
                continue;
            }
            assertThat(store.getEngine()).as(container.service()).isEqualTo(EventStoreConfig.Engine.KURRENTDB);
            assertThat(store.getKurrentdb().getConnectionString()).as(container.service())
                    .isEqualTo("kurrentdb://kurrentdb:2113?tls=false");
        }
    }

    @Test
    void scoringInstancesShareSegmentsAndKeepTheirOwnCheckpoints() throws Exception {
        ComposeFile compose = compose();
        ScoringServiceConfig one = (ScoringServiceConfig) load(containers().filter(c -> c.service().equals("scoring-1")).findFirst().orElseThrow());
        ScoringServiceConfig two = (ScoringServiceConfig) load(containers().filter(c -> c.service().equals("scoring-2")).findFirst().orElseThrow());
        assertThat(one.getScoring().getSegments()).isEqualTo(4).isEqualTo(two.getScoring().getSegments());
        assertThat(one.getScoring().getDataDirectory()).isEqualTo("/var/lib/pql/scoring");
        assertThat(compose.environment("scoring-1")).isEqualTo(compose.environment("scoring-2"));
        // same path inside each container, but each container has its own volume there
        assertThat(dataVolume(compose, "scoring-1")).isNotEqualTo(dataVolume(compose, "scoring-2"));
    }

    private static String dataVolume(ComposeFile compose, String service) {
        return compose.strings(service, "volumes").stream().filter(v -> v.endsWith(":/var/lib/pql")).findFirst()
                .orElseThrow(() -> new AssertionError(service + " has no volume at /var/lib/pql"));
    }

    @Test
    void gatewayAndForecastReachTheServicesByTheirComposeNames() throws Exception {
        GatewayConfig gateway = (GatewayConfig) load(containers().filter(c -> c.service().equals("gateway")).findFirst().orElseThrow());
        assertThat(gateway.getBackends().getIngest().getTarget()).isEqualTo("ingest:50061");
        assertThat(gateway.getBackends().getScoring().getTarget()).isEqualTo("dns:///scoring:50062");
        assertThat(gateway.getBackends().getForecast().getTarget()).isEqualTo("forecast:50063");
        assertThat(gateway.getAuth().getApiKeys()).isEmpty();
        assertThat(gateway.getAuth().getLocalKey().isEnabled()).isTrue();
        assertThat(gateway.getAuth().getLocalKey().getFile()).isEqualTo("/var/lib/pql/local-api-key");
        assertThat(ServiceConfigs.applicationConnector(gateway).getPort()).isEqualTo(8080);

        ForecastServiceConfig forecast = (ForecastServiceConfig) load(containers().filter(c -> c.service().equals("forecast")).findFirst().orElseThrow());
        assertThat(forecast.getScoring().getTarget()).isEqualTo("dns:///scoring:50062");

        // the name both scoring containers answer to
        for (String scoring : List.of("scoring-1", "scoring-2")) {
            assertThat(compose().service(scoring).get("networks").toString()).contains("aliases=[scoring]");
        }
    }

    @Test
    void apiKeyHashesComeFromTheEnvironmentAndAreValidated() throws Exception {
        Path gatewayYml = RepoFiles.file("docker/config/gateway.yml");
        String hash = ApiKeys.sha256Hex("pql_finance-example-key");
        Map<String, String> env = new HashMap<>(compose().environment("gateway"));
        env.put("PQL_API_KEYS", "[{name: finance, sha256: " + hash + ", scopes: [forecast:read]}, "
                + "{name: loader, sha256: " + ApiKeys.sha256Hex("pql_loader-example-key") + ", scopes: [ingest:write]}]");
        env.put("PQL_LOCAL_KEY_ENABLED", "false");

        GatewayConfig config = DropwizardConfigs.load(new GatewayApp(), gatewayYml, env);

        assertThat(config.getAuth().getApiKeys()).hasSize(2);
        assertThat(config.getAuth().getApiKeys().get(0).getName()).isEqualTo("finance");
        assertThat(config.getAuth().getApiKeys().get(0).getSha256()).isEqualTo(hash);
        assertThat(config.getAuth().getApiKeys().get(0).getScopes()).containsExactly("forecast:read");
        assertThat(config.getAuth().getLocalKey().isEnabled()).isFalse();

        env.put("PQL_API_KEYS", "[{name: finance, sha256: not-a-hash, scopes: [forecast:read]}]");
        assertThatThrownBy(() -> DropwizardConfigs.load(new GatewayApp(), gatewayYml, env))
                .isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("sha256");
    }

    @Test
    void theStoreEngineAndItsConnectionComeFromTheEnvironment() throws Exception {
        Path ingestYml = RepoFiles.file("docker/config/ingest.yml");
        Map<String, String> env = new HashMap<>();
        env.put("PQL_EVENT_STORE_ENGINE", "postgres");
        env.put("PQL_POSTGRES_URL", "jdbc:postgresql://db.internal:5432/events");
        env.put("PQL_POSTGRES_USER", "ingest");
        env.put("PQL_POSTGRES_PASSWORD", "secret-from-env");
        EventStoreConfig postgres = DropwizardConfigs.load(new IngestServiceApp(), ingestYml, env).getEventStore();
        assertThat(postgres.getEngine()).isEqualTo(EventStoreConfig.Engine.POSTGRES);
        assertThat(postgres.getPostgres().toOptions().jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5432/events");
        assertThat(postgres.getPostgres().toOptions().user()).isEqualTo("ingest");
        assertThat(postgres.getPostgres().toOptions().password()).isEqualTo("secret-from-env");

        EventStoreConfig embedded = DropwizardConfigs.load(new IngestServiceApp(), ingestYml,
                Map.of("PQL_EVENT_STORE_ENGINE", "embedded", "PQL_DATA_DIR", "/srv/pql")).getEventStore();
        assertThat(embedded.getEngine()).isEqualTo(EventStoreConfig.Engine.EMBEDDED);
        assertThat(embedded.getDirectory()).isEqualTo("/srv/pql/events");

        assertThatThrownBy(() -> DropwizardConfigs.load(new IngestServiceApp(), ingestYml,
                Map.of("PQL_EVENT_STORE_ENGINE", "cassandra")))
                .hasMessageContaining("eventStore.engine");
    }

    /** An override compose sets but the file never reads is a setting silently ignored. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("containers")
    void everyOverrideComposeSetsIsReadByTheConfigFile(Container container) throws Exception {
        // comments do not count: a commented-out setting is not read
        String text = Files.readAllLines(RepoFiles.file(container.configFile())).stream()
                .filter(line -> !line.strip().startsWith("#")).collect(java.util.stream.Collectors.joining("\n"));
        Pattern reference = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::-[^}]*)?}");
        java.util.Set<String> read = new java.util.HashSet<>();
        Matcher m = reference.matcher(text);
        while (m.find()) {
            read.add(m.group(1));
        }
        for (String name : compose().environment(container.service()).keySet()) {
            if (name.startsWith("PQL_") || name.startsWith("OTEL_")) {
                assertThat(read).as("%s sets %s; %s must read it", container.service(), name, container.configFile())
                        .contains(name);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("containers")
    void composeMountsTheTestedFileIntoTheImageThatRunsTheTestedApp(Container container) throws Exception {
        ComposeFile compose = compose();
        assertThat(compose.strings(container.service(), "volumes"))
                .contains("./" + container.configFile() + ":/etc/pql/config.yml:ro");
        Map<String, Object> build = ComposeFile.map(compose.service(container.service()).get("build"), container.service() + ".build");
        assertThat(build).containsEntry("context", ".").containsEntry("dockerfile", "docker/Dockerfile")
                .containsEntry("target", container.target());

        Dockerfile dockerfile = Dockerfile.read(RepoFiles.file("docker/Dockerfile"));
        Dockerfile.Stage stage = dockerfile.stage(container.target());
        assertThat(stage.env()).containsEntry("PQL_MAIN_CLASS", container.app().getClass().getName())
                .containsEntry("PQL_ADMIN_PORT", String.valueOf(container.adminPort()));
        assertThat(stage.all("EXPOSE")).singleElement().asString()
                .contains(String.valueOf(container.grpcPort()), String.valueOf(container.adminPort()));
        assertThat(stage.all("HEALTHCHECK")).singleElement().asString()
                .contains("curl -fsS \"http://127.0.0.1:${PQL_ADMIN_PORT}/healthcheck\"");
        assertThat(stage.all("COPY")).anySatisfy(copy -> assertThat(copy).endsWith("/etc/pql/config.yml"));
    }
}
