package pql.ingest.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.common.telemetry.EnvelopeTracing;
import pql.common.telemetry.Telemetry;
import pql.ingest.IngestSettings;
import pql.ingest.support.IngestHarness;
import pql.ingest.support.StreamClient;
import pql.ingest.support.TestEvents;
import pql.v1.IngestBatchRequest;
import pql.v1.IngestEventRequest;
import pql.v1.IngestServiceGrpc;
import pql.v1.IngestStreamRequest;

/** A server span per call, a child span around the append, and the call's trace in every envelope. */
class IngestTelemetryTest {

    @TempDir
    Path directory;
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    OpenTelemetrySdk sdk;
    Telemetry telemetry;
    IngestHarness harness;

    @BeforeEach
    void start() {
        sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        telemetry = Telemetry.of(sdk);
        harness = IngestHarness.start(directory, new IngestSettings(), telemetry, store -> store);
    }

    @AfterEach
    void stop() throws Exception {
        harness.close();
        sdk.close();
    }

    @Test
    void aUnaryCallHasAServerSpanWithTheAppendAsItsChildAndItsTraceStoredInTheEnvelope() throws Exception {
        harness.blocking().ingestEvent(IngestEventRequest.newBuilder().setEvent(TestEvents.productAction("t1", "acme")).build());

        SpanData server = awaitSpan(s -> s.getKind() == SpanKind.SERVER && s.getName().equals("pql.v1.IngestService/IngestEvent"));
        SpanData append = awaitSpan(s -> s.getName().equals("ingest.append"));
        assertThat(append.getParentSpanId()).isEqualTo(server.getSpanId());
        assertThat(append.getTraceId()).isEqualTo(server.getTraceId());
        assertThat(append.getAttributes().get(AttributeKey.longKey("pql.ingest.events"))).isEqualTo(1L);
        assertThat(append.getAttributes().get(AttributeKey.longKey("pql.ingest.accepted"))).isEqualTo(1L);
        assertThat(append.getAttributes().get(AttributeKey.longKey("pql.ingest.duplicates"))).isZero();

        SpanContext stored = EnvelopeTracing.spanContextOf(harness.storedEvents().get(0).envelope().getTraceContext());
        assertThat(stored.getTraceId()).isEqualTo(server.getTraceId());
        assertThat(stored.getSpanId()).isEqualTo(server.getSpanId());
    }

    @Test
    void theCallersTraceContinuesIntoTheStoredEvents() throws Exception {
        IngestServiceGrpc.IngestServiceBlockingStub traced = harness.blocking().withInterceptors(telemetry.clientInterceptor());

        traced.ingestBatch(IngestBatchRequest.newBuilder()
                .addEvents(TestEvents.productAction("b1", "acme"))
                .addEvents(TestEvents.productAction("b2", "globex")).build());

        SpanData client = awaitSpan(s -> s.getKind() == SpanKind.CLIENT);
        SpanData server = awaitSpan(s -> s.getKind() == SpanKind.SERVER);
        assertThat(server.getTraceId()).isEqualTo(client.getTraceId());
        assertThat(server.getParentSpanId()).isEqualTo(client.getSpanId());
        assertThat(harness.storedEvents()).hasSize(2).allSatisfy(event -> assertThat(
                EnvelopeTracing.spanContextOf(event.envelope().getTraceContext()).getTraceId()).isEqualTo(client.getTraceId()));
    }

    @Test
    void aStreamIsOneServerSpanWhoseTraceEveryEventOfItCarries() throws Exception {
        List<IngestStreamRequest> chunks = List.of(
                IngestStreamRequest.newBuilder().setSequence(1).addEvents(TestEvents.productAction("s1", "acme")).build(),
                IngestStreamRequest.newBuilder().setSequence(2).addEvents(TestEvents.productAction("s2", "acme")).build());

        assertThat(StreamClient.run(harness.async(), chunks).awaitEnd().getCode()).isEqualTo(Status.Code.OK);

        SpanData server = awaitSpan(s -> s.getKind() == SpanKind.SERVER && s.getName().endsWith("/IngestStream"));
        assertThat(spans.getFinishedSpanItems()).filteredOn(s -> s.getName().equals("ingest.append"))
                .hasSize(2).allSatisfy(append -> assertThat(append.getParentSpanId()).isEqualTo(server.getSpanId()));
        assertThat(harness.storedEvents()).hasSize(2).allSatisfy(event -> assertThat(
                EnvelopeTracing.spanContextOf(event.envelope().getTraceContext()).getSpanId()).isEqualTo(server.getSpanId()));
    }

    /** Spans end as calls close, which may be just after the client has its answer. */
    private SpanData awaitSpan(Predicate<SpanData> wanted) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            for (SpanData span : spans.getFinishedSpanItems()) {
                if (wanted.test(span)) {
                    return span;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no such span among " + spans.getFinishedSpanItems());
    }
}
