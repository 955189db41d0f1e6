package pql.common.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Telemetry#create} through OpenTelemetry's autoconfigure module: the standard
 * {@code otel.*} system properties (the same as the {@code OTEL_*} variables) reach the SDK it
 * builds, and the YAML section wins where it is set.
 */
class TelemetryAutoconfigureTest {

    private final Map<String, String> previous = new HashMap<>();

    @BeforeEach
    void captureSpans() {
        set("otel.traces.exporter", "capturing");
        CapturingSpanExporterProvider.SPANS.reset();
    }

    @AfterEach
    void restoreSystemProperties() {
        previous.forEach((key, value) -> {
            if (value == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, value);
            }
        });
    }

    @Test
    void theServiceNameAndResourceAttributesComeFromTheStandardProperties() {
        set("otel.service.name", "pql-gateway-eu");
        set("otel.resource.attributes", "deployment.environment=staging,team=growth");

        SpanData span = oneSpan(new TelemetryConfig());

        assertThat(span.getResource().getAttribute(AttributeKey.stringKey("service.name"))).isEqualTo("pql-gateway-eu");
        assertThat(span.getResource().getAttribute(AttributeKey.stringKey("deployment.environment"))).isEqualTo("staging");
        assertThat(span.getResource().getAttribute(AttributeKey.stringKey("team"))).isEqualTo("growth");
    }

    @Test
    void withoutAServiceNameTheApplicationNameIsUsed() {
        SpanData span = oneSpan(new TelemetryConfig());

        assertThat(span.getResource().getAttribute(AttributeKey.stringKey("service.name"))).isEqualTo("pql-test-app");
    }

    @Test
    void aServiceNameInTheResourceAttributesIsKept() {
        set("otel.resource.attributes", "service.name=from-attributes");

        SpanData span = oneSpan(new TelemetryConfig());

        assertThat(span.getResource().getAttribute(AttributeKey.stringKey("service.name"))).isEqualTo("from-attributes");
    }

    @Test
    void theStandardSamplerApplies_AndTheYamlRatioOverridesIt() {
        set("otel.traces.sampler", "always_off");
        assertThat(spans(new TelemetryConfig())).isEmpty();

        assertThat(spans(new TelemetryConfig().setSampleRatio(1.0))).hasSize(1);
    }

    @Test
    void endpointHeadersAndProtocolReachTheExporter_AndTheYamlEndpointWins() {
        set("otel.traces.exporter", "otlp");
        set("otel.exporter.otlp.endpoint", "https://otlp.example.com:443");
        set("otel.exporter.otlp.protocol", "http/protobuf");
        set("otel.exporter.otlp.headers", "x-team=growth");

        try (Telemetry fromProperties = Telemetry.create("pql-test-app", new TelemetryConfig());
                Telemetry fromYaml = Telemetry.create("pql-test-app",
                        new TelemetryConfig().setOtlpEndpoint("https://collector.internal:4318"))) {
            String exported = sdk(fromProperties).getSdkTracerProvider().toString();
            assertThat(exported).contains("OtlpHttpSpanExporter").contains("https://otlp.example.com:443/v1/traces")
                    .contains("x-team");
            assertThat(sdk(fromYaml).getSdkTracerProvider().toString()).contains("https://collector.internal:4318/v1/traces")
                    .doesNotContain("otlp.example.com");
        }
    }

    @Test
    void nothingIsExportedUnlessAnEndpointOrExporterIsConfigured() {
        Map<String, String> bare = TelemetryProperties.defaults("app", new TelemetryConfig(), key -> null);
        assertThat(bare).containsEntry("otel.traces.exporter", "none").containsEntry("otel.metrics.exporter", "none")
                .containsEntry("otel.exporter.otlp.protocol", "grpc").containsEntry("otel.service.name", "app");

        Map<String, String> fromEnvironment = TelemetryProperties.defaults("app", new TelemetryConfig(),
                key -> key.equals("otel.exporter.otlp.endpoint") ? "http://collector:4317" : null);
        Map<String, String> fromYaml = TelemetryProperties.defaults("app",
                new TelemetryConfig().setOtlpEndpoint("http://collector:4317"), key -> null);
        assertThat(fromEnvironment).doesNotContainKeys("otel.traces.exporter", "otel.metrics.exporter");
        assertThat(fromYaml).doesNotContainKeys("otel.traces.exporter", "otel.metrics.exporter");
    }

    private SpanData oneSpan(TelemetryConfig config) {
        List<SpanData> spans = spans(config);
        assertThat(spans).hasSize(1);
        return spans.get(0);
    }

    private List<SpanData> spans(TelemetryConfig config) {
        CapturingSpanExporterProvider.SPANS.reset();
        try (Telemetry telemetry = Telemetry.create("pql-test-app", config)) {
            telemetry.tracer().spanBuilder("probe").startSpan().end();
            sdk(telemetry).getSdkTracerProvider().forceFlush().join(5, TimeUnit.SECONDS);
            return CapturingSpanExporterProvider.SPANS.getFinishedSpanItems();
        }
    }

    private static OpenTelemetrySdk sdk(Telemetry telemetry) {
        return (OpenTelemetrySdk) telemetry.openTelemetry();
    }

    private void set(String key, String value) {
        previous.putIfAbsent(key, System.getProperty(key));
        System.setProperty(key, value);
    }
}
