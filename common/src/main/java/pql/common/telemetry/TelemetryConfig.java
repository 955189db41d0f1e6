package pql.common.telemetry;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The {@code telemetry:} section. Traces and metrics are always produced (trace context is stored
 * in every event's envelope); they leave the process only when an OTLP endpoint is set, e.g.
 * {@code http://otel-collector:4317} (override with the env var through Dropwizard's
 * substitution: {@code ${OTEL_EXPORTER_OTLP_ENDPOINT:-}}).
 */
public class TelemetryConfig {

    @JsonProperty
    private String otlpEndpoint = "";

    /** Fraction of new traces sampled, 0..1 (a parent's decision is always followed). */
    @JsonProperty
    private double sampleRatio = 1.0;

    public String getOtlpEndpoint() {
        return otlpEndpoint;
    }

    public TelemetryConfig setOtlpEndpoint(String otlpEndpoint) {
        this.otlpEndpoint = otlpEndpoint;
        return this;
    }

    public double getSampleRatio() {
        return sampleRatio;
    }

    public TelemetryConfig setSampleRatio(double sampleRatio) {
        this.sampleRatio = sampleRatio;
        return this;
    }
}
