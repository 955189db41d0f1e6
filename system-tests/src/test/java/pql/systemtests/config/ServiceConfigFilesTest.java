package pql.systemtests.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.core.Application;
import io.dropwizard.core.Configuration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import pql.eventstore.config.EventStoreConfig;
import pql.forecast.ForecastServiceApp;
import pql.gateway.GatewayApp;
import pql.ingest.IngestServiceApp;
import pql.scoring.ScoringServiceApp;
import pql.systemtests.RepoFiles;

/**
 * The config file each service ships beside its code (what `java -cp ... App server
 * &lt;module&gt;/config.yml` reads outside containers): it binds to the service's configuration class
 * and validates with no environment set, on the suite's conventional ports, and its environment
 * overrides take effect.
 */
class ServiceConfigFilesTest {

    /** @param grpcPortVariable the variable the file reads its gRPC port from */
    record ShippedConfig(String file, Application<? extends Configuration> app, int grpcPort, int httpPort,
            int adminPort, String grpcPortVariable) {

        @Override
        public String toString() {
            return file;
        }
    }

    static Stream<ShippedConfig> shippedConfigs() {
        return Stream.of(
                new ShippedConfig("ingest-service/config.yml", new IngestServiceApp(), 50061, 8110, 8111, "PQL_INGEST_GRPC_PORT"),
                new ShippedConfig("scoring-service/config.yml", new ScoringServiceApp(), 50062, 8120, 8121, "PQL_GRPC_PORT"),
                new ShippedConfig("forecast-service/config.yml", new ForecastServiceApp(), 50063, 8130, 8131, "PQL_GRPC_PORT"),
                new ShippedConfig("gateway/config.yml", new GatewayApp(), 50051, 8080, 8081, "PQL_GRPC_PORT"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shippedConfigs")
    void validatesWithoutAnyEnvironmentOnTheConventionalPorts(ShippedConfig shipped) throws Exception {
        Configuration config = DropwizardConfigs.load(shipped.app(), RepoFiles.file(shipped.file()), Map.of());

        assertThat(ServiceConfigs.grpc(config).getPort()).isEqualTo(shipped.grpcPort());
        assertThat(ServiceConfigs.applicationConnector(config).getPort()).isEqualTo(shipped.httpPort());
        assertThat(ServiceConfigs.adminConnector(config).getPort()).isEqualTo(shipped.adminPort());
        // nothing leaves the process unless an OTLP endpoint is given
        assertThat(ServiceConfigs.telemetry(config).getOtlpEndpoint()).isNullOrEmpty();
        EventStoreConfig store = ServiceConfigs.eventStore(config);
        if (store != null) {
            assertThat(store.getEngine()).isEqualTo(EventStoreConfig.Engine.EMBEDDED);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shippedConfigs")
    void environmentOverridesTakeEffect(ShippedConfig shipped) throws Exception {
        Map<String, String> env = Map.of(
                shipped.grpcPortVariable(), "59999",
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector.example:4317",
                "PQL_EVENT_STORE_ENGINE", "kurrentdb");

        Configuration config = DropwizardConfigs.load(shipped.app(), RepoFiles.file(shipped.file()), env);

        assertThat(ServiceConfigs.grpc(config).getPort()).isEqualTo(59999);
        assertThat(ServiceConfigs.telemetry(config).getOtlpEndpoint()).isEqualTo("http://collector.example:4317");
        EventStoreConfig store = ServiceConfigs.eventStore(config);
        if (store != null) {
            assertThat(store.getEngine()).isEqualTo(EventStoreConfig.Engine.KURRENTDB);
        }
    }
}
