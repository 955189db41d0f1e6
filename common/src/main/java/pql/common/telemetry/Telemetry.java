package pql.common.telemetry;

import io.grpc.ClientInterceptor;
import io.grpc.ServerInterceptor;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.instrumentation.grpc.v1_6.GrpcTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;

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

    /** An SDK for {@code serviceName}, exporting over OTLP/gRPC when an endpoint is configured. */
    public static Telemetry create(String serviceName, TelemetryConfig config) {
        Resource resource = Resource.getDefault().merge(
                Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), serviceName)));
        var tracerProvider = SdkTracerProvider.builder()
                .setResource(resource)
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(config.getSampleRatio())));
        var meterProvider = SdkMeterProvider.builder().setResource(resource);
        String endpoint = config.getOtlpEndpoint();
        if (endpoint != null && !endpoint.isBlank()) {
            tracerProvider.addSpanProcessor(BatchSpanProcessor.builder(
                    OtlpGrpcSpanExporter.builder().setEndpoint(endpoint).build()).build());
            meterProvider.registerMetricReader(PeriodicMetricReader.builder(
                    OtlpGrpcMetricExporter.builder().setEndpoint(endpoint).build())
                    .setInterval(Duration.ofSeconds(15)).build());
        }
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(tracerProvider.build())
                .setMeterProvider(meterProvider.build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
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
