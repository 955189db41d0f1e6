package pql.common.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;
import pql.v1.TraceContext;

class EnvelopeTracingTest {

    @Test
    void theCurrentSpanSurvivesTheRoundTripThroughAnEnvelope() {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        try (SdkTracerProvider provider = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()) {
            Span span = provider.get("test").spanBuilder("ingest").startSpan();
            TraceContext stored;
            try (Scope ignored = span.makeCurrent()) {
                stored = EnvelopeTracing.capture(Context.current());
            } finally {
                span.end();
            }

            assertThat(stored.getTraceparent()).contains(span.getSpanContext().getTraceId());
            SpanContext restored = EnvelopeTracing.spanContextOf(stored);
            assertThat(restored.isValid()).isTrue();
            assertThat(restored.getTraceId()).isEqualTo(span.getSpanContext().getTraceId());
            assertThat(restored.getSpanId()).isEqualTo(span.getSpanContext().getSpanId());
            assertThat(restored.isRemote()).isTrue();
        }
    }

    @Test
    void noSpanStoresNothingAndRestoresInvalid() {
        TraceContext stored = EnvelopeTracing.capture(Context.root());
        assertThat(stored.getTraceparent()).isEmpty();
        assertThat(EnvelopeTracing.spanContextOf(stored).isValid()).isFalse();
        assertThat(EnvelopeTracing.spanContextOf(TraceContext.getDefaultInstance()).isValid()).isFalse();
    }
}
