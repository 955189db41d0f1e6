package pql.systemtests.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import pql.systemtests.RepoFiles;

/**
 * docker/otel-collector.yaml, read as the collector would wire it (the collector binary does not
 * run here): every pipeline names components that are defined, traces leave for Jaeger over
 * OTLP, metrics for the debug log and a Prometheus endpoint, and the OTLP receiver listens
 * where the services send.
 */
class OtelCollectorConfigTest {

    @Test
    @SuppressWarnings("unchecked")
    void pipelinesCarryTracesToJaegerAndMetricsToDebugAndPrometheus() throws Exception {
        Map<String, Object> config = new Yaml().load(Files.readString(RepoFiles.file("docker/otel-collector.yaml")));
        Map<String, Object> receivers = (Map<String, Object>) config.get("receivers");
        Map<String, Object> processors = (Map<String, Object>) config.get("processors");
        Map<String, Object> exporters = (Map<String, Object>) config.get("exporters");
        Map<String, Object> service = (Map<String, Object>) config.get("service");
        Map<String, Map<String, List<String>>> pipelines = (Map<String, Map<String, List<String>>>) service.get("pipelines");

        assertThat(pipelines).containsOnlyKeys("traces", "metrics");
        for (var pipeline : pipelines.entrySet()) {
            assertThat(receivers).as(pipeline.getKey()).containsKeys(pipeline.getValue().get("receivers").toArray(String[]::new));
            assertThat(processors).as(pipeline.getKey()).containsKeys(pipeline.getValue().get("processors").toArray(String[]::new));
            assertThat(exporters).as(pipeline.getKey()).containsKeys(pipeline.getValue().get("exporters").toArray(String[]::new));
            assertThat(pipeline.getValue().get("receivers")).containsExactly("otlp");
        }
        assertThat((List<String>) service.get("extensions")).allSatisfy(
                extension -> assertThat((Map<String, Object>) config.get("extensions")).containsKey(extension));

        assertThat(pipelines.get("traces").get("exporters")).containsExactly("otlp/jaeger");
        Map<String, Object> jaeger = (Map<String, Object>) exporters.get("otlp/jaeger");
        assertThat(jaeger).containsEntry("endpoint", "jaeger:4317");
        assertThat((Map<String, Object>) jaeger.get("tls")).containsEntry("insecure", true);
        assertThat(pipelines.get("metrics").get("exporters")).containsExactlyInAnyOrder("debug", "prometheus");

        // the services' OTEL_EXPORTER_OTLP_ENDPOINT must land on the OTLP/gRPC receiver
        URI servicesSendTo = URI.create(ComposeFile.load(RepoFiles.file("docker-compose.yml"))
                .environment("ingest").get("OTEL_EXPORTER_OTLP_ENDPOINT"));
        Map<String, Object> grpc = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) receivers.get("otlp"))
                .get("protocols")).get("grpc");
        assertThat((String) grpc.get("endpoint")).isEqualTo("0.0.0.0:" + servicesSendTo.getPort());
        assertThat(servicesSendTo.getHost()).isEqualTo("otel-collector");
    }
}
