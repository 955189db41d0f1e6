package pql.systemtests.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.systemtests.RepoFiles;

/**
 * docker-compose.yml: valid for Docker Compose itself ({@code docker-compose config}, no engine
 * needed), and the distributed stack the issue asks for: KurrentDB (one node, and the commented
 * three-node variant), PostgreSQL for the scoring instances' segment claims, the four services
 * with two scoring instances, the OpenTelemetry collector and Jaeger.
 */
class ComposeFileTest {

    private static final Set<String> PQL_SERVICES = Set.of("ingest", "scoring-1", "scoring-2", "forecast", "gateway");

    @Test
    void dockerComposeValidatesTheFile() throws Exception {
        DockerCompose.Result result = DockerCompose.run(RepoFiles.root(), "-f", "docker-compose.yml", "config", "-q");
        assertThat(result.exitCode()).as("docker-compose config -q said:%n%s", result.output()).isZero();
    }

    @Test
    void theStackHasEveryPart() throws Exception {
        ComposeFile compose = ComposeFile.load(RepoFiles.file("docker-compose.yml"));
        assertThat(compose.services().keySet()).containsExactlyInAnyOrder("kurrentdb", "postgres", "ingest",
                "scoring-1", "scoring-2", "forecast", "gateway", "otel-collector", "jaeger");

        Map<String, Object> kurrentdb = compose.service("kurrentdb");
        assertThat((String) kurrentdb.get("image")).startsWith("docker.kurrent.io/kurrent-latest/kurrentdb:");
        assertThat(compose.environment("kurrentdb")).containsEntry("KURRENTDB_CLUSTER_SIZE", "1")
                .containsEntry("KURRENTDB_INSECURE", "true");
        assertThat(compose.strings("kurrentdb", "volumes")).contains("kurrentdb-data:/var/lib/kurrentdb");
        assertThat(compose.raw().get("volumes").toString()).contains("kurrentdb-data");

        assertThat((String) compose.service("postgres").get("image")).startsWith("postgres:");
        assertThat(compose.service("postgres")).containsKey("healthcheck");

        assertThat((String) compose.service("jaeger").get("image")).startsWith("jaegertracing/all-in-one:");
        assertThat(compose.environment("jaeger")).containsEntry("COLLECTOR_OTLP_ENABLED", "true");
        assertThat((String) compose.service("otel-collector").get("image"))
                .startsWith("otel/opentelemetry-collector-contrib:");
        assertThat(compose.strings("otel-collector", "volumes"))
                .contains("./docker/otel-collector.yaml:/etc/otelcol-contrib/config.yaml:ro");

        for (String service : PQL_SERVICES) {
            assertThat(compose.environment(service)).as(service)
                    .containsEntry("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector:4317");
        }
        // the store and the segment claims are up before the services that need them
        assertThat(compose.service("ingest").get("depends_on").toString()).contains("kurrentdb={condition=service_healthy}");
        for (String scoring : List.of("scoring-1", "scoring-2")) {
            assertThat(compose.service(scoring).get("depends_on").toString())
                    .contains("kurrentdb={condition=service_healthy}", "postgres={condition=service_healthy}");
            assertThat(compose.service(scoring).get("image")).isEqualTo("pql/scoring-service:dev");
        }
        // only the gateway is published beyond this machine; admin ports stay on loopback
        for (String service : PQL_SERVICES) {
            for (String port : compose.strings(service, "ports")) {
                if (!service.equals("gateway") || port.endsWith(":8081")) {
                    assertThat(port).as(service).startsWith("127.0.0.1:");
                }
            }
        }
    }

    @Test
    void theCommentedThreeNodeVariantIsAComposeFileOfAKurrentDbCluster(@TempDir Path dir) throws Exception {
        String variant = threeNodeVariant();
        ComposeFile cluster = ComposeFile.parse(variant, Map.of());
        assertThat(cluster.services().keySet()).containsExactlyInAnyOrder("kurrentdb-1", "kurrentdb-2", "kurrentdb-3");
        for (String node : cluster.services().keySet()) {
            Map<String, String> env = cluster.environment(node);
            assertThat(env).as(node).containsEntry("KURRENTDB_CLUSTER_SIZE", "3").containsEntry("KURRENTDB_INSECURE", "true");
            Set<String> seeds = Set.of(env.get("KURRENTDB_GOSSIP_SEED").split(","));
            Set<String> others = cluster.services().keySet().stream().filter(n -> !n.equals(node))
                    .map(n -> n + ":2113").collect(Collectors.toSet());
            assertThat(seeds).as(node + " gossips with the two others").isEqualTo(others);
            assertThat(cluster.strings(node, "volumes")).containsExactly(node + "-data:/var/lib/kurrentdb");
        }
        assertThat((String) cluster.service("kurrentdb-1").get("image"))
                .startsWith("docker.kurrent.io/kurrent-latest/kurrentdb:");

        Path file = dir.resolve("kurrentdb-cluster.yml");
        Files.writeString(file, variant, StandardCharsets.UTF_8);
        DockerCompose.Result result = DockerCompose.run(dir, "-f", file.toString(), "config", "-q");
        assertThat(result.exitCode()).as("docker-compose config -q on the three-node variant said:%n%s", result.output())
                .isZero();
    }

    /** The commented block at the end of docker-compose.yml, uncommented. */
    private static String threeNodeVariant() throws Exception {
        List<String> lines = Files.readAllLines(RepoFiles.file("docker-compose.yml"), StandardCharsets.UTF_8);
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("# Three-node KurrentDB cluster")) {
                start = i;
            }
        }
        assertThat(start).as("docker-compose.yml has the commented three-node KurrentDB variant").isNotNegative();
        StringBuilder yaml = new StringBuilder();
        for (String line : lines.subList(start, lines.size())) {
            if (line.startsWith("#  ")) {
                yaml.append(line.substring(3)).append('\n');
            } else if (line.equals("#")) {
                yaml.append('\n');
            }
        }
        return yaml.toString();
    }
}
