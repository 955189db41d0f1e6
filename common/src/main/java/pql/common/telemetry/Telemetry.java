package pql.common.telemetry;

import io.grpc.ClientInterceptor;
import io.grpc.ServerInterceptor;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.instrumentation.grpc.v1_6.GrpcTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;

/**
 * The process's OpenTelemetry: tracer, meter and the gRPC interceptors that carry trace context
 * across every hop (client → gateway → services). Built once in the Application and passed in.
 */
public final class Telemetry implements AutoCloseable {

    private static final String SCOPE = "pql-suite";

    private final OpenTelemetry openTelemetry;
    private final AutoCloseable owned;
    private final GrpcTelemetry grpc;

    private Telemetry(OpenTelemetry openTelemetry, AutoCloseable owned) {
        this.openTelemetry = openTelemetry;
        this.owned = owned;
        this.grpc = GrpcTelemetry.create(openTelemetry);
    }

    /**
     * An SDK for {@code serviceName}, built by OpenTelemetry's autoconfigure module: every standard
     * {@code OTEL_*} variable and {@code otel.*} system property applies, the YAML {@code telemetry:}
     * section wins where set, and nothing is exported unless an endpoint or exporter is configured
     * ({@link TelemetryProperties}).
     */
    public static Telemetry create(String serviceName, TelemetryConfig config) {
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> TelemetryProperties.defaults(serviceName, config, TelemetryProperties::fromSystem))
                .addPropertiesCustomizer(merged -> TelemetryProperties.overrides(config))
                .disableShutdownHook() // the lifecycle closes it, after the servers drained
                .build()
                .getOpenTelemetrySdk();
        return owning(sdk);
    }

    /** Wraps an SDK built by the caller and shuts it down on close (tests that watch the shutdown). */
    public static Telemetry owning(OpenTelemetrySdk sdk) {
        return new Telemetry(sdk, sdk);
    }

    /** Wraps an OpenTelemetry owned by somebody else (tests with the in-memory exporter). */
    public static Telemetry of(OpenTelemetry openTelemetry) {
        return new Telemetry(openTelemetry, () -> { });
    }

    /** Produces nothing; for tests that do not look at telemetry. */
    public static Telemetry noop() {
        return of(OpenTelemetry.noop());
    }

    public OpenTelemetry openTelemetry() {
        return openTelemetry;
    }

    public Tracer tracer() {
        return openTelemetry.getTracer(SCOPE);
    }

    public Meter meter() {
        return openTelemetry.getMeter(SCOPE);
    }

    /** A server span per call, continuing the caller's trace. */
    public ServerInterceptor serverInterceptor() {
        return grpc.createServerInterceptor();
    }

    /** A client span per call, propagating the current trace to the callee. */
    public ClientInterceptor clientInterceptor() {
        return grpc.createClientInterceptor();
    }

    @Override
    public void close() {
        try {
            owned.close();
        } catch (Exception e) {
            throw new IllegalStateException("telemetry did not shut down cleanly", e);
        }
    }
}
