package pql.systemtests.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.Collection;
import pql.common.telemetry.Telemetry;

/**
 * The OpenTelemetry SDK of one "process" of the test: what {@code Telemetry.create} builds in a
 * real service (its own resource with {@code service.name}, W3C propagation), but exporting spans
 * to the test's shared in-memory exporter and metrics to its own in-memory reader. Separate SDKs
 * per service make the test prove what distributed mode needs: trace context crosses each hop in
 * gRPC headers and in the stored envelope, never through shared in-process state.
 */
final class ProcessTelemetry implements AutoCloseable {

    static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

    private final String serviceName;
    private final OpenTelemetrySdk sdk;
    private final InMemoryMetricReader metrics;

    ProcessTelemetry(String serviceName, InMemorySpanExporter spans) {
        this.serviceName = serviceName;
        this.metrics = InMemoryMetricReader.create();
        Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(SERVICE_NAME, serviceName)));
        this.sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().setResource(resource)
                        .addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                .setMeterProvider(SdkMeterProvider.builder().setResource(resource).registerMetricReader(metrics).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
    }

    String serviceName() {
        return serviceName;
    }

    Telemetry telemetry() {
        return Telemetry.of(sdk);
    }

    /** Every metric of this process as a periodic reader would export it now (cumulative). */
    Collection<MetricData> collectMetrics() {
        return metrics.collectAllMetrics();
    }

    @Override
    public void close() {
        sdk.close();
    }
}
