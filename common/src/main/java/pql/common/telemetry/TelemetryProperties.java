package pql.common.telemetry;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * How the PQL defaults, the standard OpenTelemetry settings and the YAML {@code telemetry:} section
 * combine, from weakest to strongest:
 * <ol>
 *   <li>PQL defaults ({@link #defaults}): {@code service.name} = the application's name, OTLP over
 *       gRPC (the collector's port 4317, as before autoconfigure), metrics every 15 s, and no
 *       exporter at all unless an OTLP endpoint is configured somewhere (no connection errors on a
 *       laptop without a collector);</li>
 *   <li>{@code OTEL_*} environment variables, then {@code otel.*} system properties (read by the
 *       autoconfigure module itself);</li>
 *   <li>the YAML ({@link #overrides}): {@code otlpEndpoint} when not blank, {@code sampleRatio}
 *       when set.</li>
 * </ol>
 */
final class TelemetryProperties {

    static final String SERVICE_NAME = "otel.service.name";
    static final String RESOURCE_ATTRIBUTES = "otel.resource.attributes";
    static final String ENDPOINT = "otel.exporter.otlp.endpoint";

    private static final List<String> ENDPOINTS = List.of(ENDPOINT, "otel.exporter.otlp.traces.endpoint",
            "otel.exporter.otlp.metrics.endpoint");

    private TelemetryProperties() {
    }

    /**
     * @param serviceName the application's name, unless OTEL_SERVICE_NAME or a {@code service.name}
     *                    resource attribute says otherwise
     * @param explicit    a standard setting from the environment or the system properties, null
     *                    when absent (e.g. {@code System::getProperty} over both spellings)
     */
    static Map<String, String> defaults(String serviceName, TelemetryConfig config, UnaryOperator<String> explicit) {
        Map<String, String> defaults = new HashMap<>();
        String resource = explicit.apply(RESOURCE_ATTRIBUTES);
        if (resource == null || !resource.contains("service.name=")) {
            defaults.put(SERVICE_NAME, serviceName);
        }
        defaults.put("otel.exporter.otlp.protocol", "grpc");
        defaults.put("otel.metric.export.interval", "15000");
        boolean endpointSet = notBlank(config.getOtlpEndpoint())
                || ENDPOINTS.stream().anyMatch(key -> notBlank(explicit.apply(key)));
        if (!endpointSet) {
            defaults.put("otel.traces.exporter", "none");
            defaults.put("otel.metrics.exporter", "none");
        }
        // the suite sends no logs over OTLP (they go to the Dropwizard appenders, with trace ids)
        defaults.put("otel.logs.exporter", "none");
        return defaults;
    }

    /** What the YAML sets, winning over every other source. */
    static Map<String, String> overrides(TelemetryConfig config) {
        Map<String, String> overrides = new HashMap<>();
        if (notBlank(config.getOtlpEndpoint())) {
            overrides.put(ENDPOINT, config.getOtlpEndpoint().trim());
        }
        Double ratio = config.getSampleRatio();
        if (ratio != null) {
            overrides.put("otel.traces.sampler", "parentbased_traceidratio");
            overrides.put("otel.traces.sampler.arg", Double.toString(ratio));
        }
        return overrides;
    }

    /** A standard setting as the autoconfigure module reads it: the system property, else the variable. */
    static String fromSystem(String property) {
        String value = System.getProperty(property);
        if (value != null) {
            return value;
        }
        return System.getenv(property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }
}
