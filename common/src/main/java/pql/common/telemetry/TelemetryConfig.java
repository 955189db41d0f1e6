package pql.common.telemetry;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The {@code telemetry:} section. The SDK itself is configured by OpenTelemetry's autoconfigure
 * module, so every standard {@code OTEL_*} variable and {@code otel.*} system property works
 * (endpoint, headers, protocol, service name, resource attributes, sampler, exporters); what is
 * set here overrides them. Traces and metrics are always produced (trace context is stored in
 * every event's envelope); they leave the process only when an OTLP endpoint is set (here or in
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT}), or an exporter is named in {@code OTEL_TRACES_EXPORTER} /
 * {@code OTEL_METRICS_EXPORTER}. See {@link TelemetryProperties}.
 */
public class TelemetryConfig {

    /** OTLP endpoint, e.g. {@code http://otel-collector:4317}; blank: take OTEL_EXPORTER_OTLP_ENDPOINT. */
    @JsonProperty
    private String otlpEndpoint = "";

    /**
     * Fraction of new traces sampled, 0..1 (a parent's decision is always followed); unset: take
     * OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG (default: every trace).
     */
    @JsonProperty
    private Double sampleRatio;

    public String getOtlpEndpoint() {
        return otlpEndpoint;
    }

    public TelemetryConfig setOtlpEndpoint(String otlpEndpoint) {
        this.otlpEndpoint = otlpEndpoint;
        return this;
    }

    /** Null when not set. */
    public Double getSampleRatio() {
        return sampleRatio;
    }

    public TelemetryConfig setSampleRatio(Double sampleRatio) {
        this.sampleRatio = sampleRatio;
        return this;
    }
}
