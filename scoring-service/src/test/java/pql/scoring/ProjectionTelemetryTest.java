package pql.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.common.telemetry.EnvelopeTracing;
import pql.common.telemetry.Telemetry;
import pql.eventstore.ExpectedVersion;
import pql.eventstore.StreamIds;
import pql.eventstore.embedded.EmbeddedStoreOptions;
import pql.eventstore.embedded.RocksDbEventStore;
import pql.scoring.testing.Await;
import pql.scoring.testing.SampleHistory;
import pql.v1.EventEnvelope;
import pql.v1.ProductAction;
import pql.v1.TraceContext;

/**
 * The projection's telemetry through the module, with the SDK's in-memory exporters: a live event's
 * recorded trace is linked from the span that applied it, and the metrics report events applied,
 * projection lag and rescore progress.
 */
class ProjectionTelemetryTest {

    @TempDir
    Path directory;

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
    private OpenTelemetrySdk sdk;
    private RocksDbEventStore store;
    private ScoringModule module;

    @BeforeEach
    void start() {
        sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        store = RocksDbEventStore.open(EmbeddedStoreOptions.defaults(directory.resolve("events")));
        module = new ScoringModule(new ScoringSettings().setDataDirectory(directory.resolve("scoring").toString()),
                store, Telemetry.of(sdk), Clock.systemUTC());
        module.start();
    }

    @AfterEach
    void stop() {
        module.close();
        store.close();
        sdk.close();
    }

    private static EventEnvelope tracedAction(String accountId, String eventId, SpanContext recordedBy) {
        return EventEnvelope.newBuilder()
                .setEventId(eventId)
                .setType(ProductAction.getDescriptor().getFullName())
                .setAccountId(accountId)
                .setOccurredAt(SampleHistory.ts(Instant.parse("2026-03-01T10:00:00Z")))
                .setRecordedAt(SampleHistory.ts(Instant.parse("2026-03-01T10:00:01Z")))
                .setTraceContext(TraceContext.newBuilder().setTraceparent("00-" + recordedBy.getTraceId() + "-"
                        + recordedBy.getSpanId() + "-01"))
                .setPayload(ProductAction.newBuilder().setUserId("u1").setAction("report_created").build().toByteString())
                .setSchemaRevision(1)
                .build();
    }

    private SpanData awaitSpan(String what, Predicate<SpanData> matching) {
        Await.until(what, () -> spans.getFinishedSpanItems().stream().anyMatch(matching));
        return spans.getFinishedSpanItems().stream().filter(matching).findFirst().orElseThrow();
    }

    private static boolean linksTo(SpanData span, SpanContext recorded) {
        return span.getLinks().stream().map(LinkData::getSpanContext).anyMatch(link ->
                link.getTraceId().equals(recorded.getTraceId()) && link.getSpanId().equals(recorded.getSpanId()));
    }

    @Test
    void theSpanThatAppliesALiveEventLinksToTheTraceThatRecordedIt() {
        SpanContext recorded = SpanContext.createFromRemoteParent("4bf92f3577b34da6a3ce929d0e0e4736",
                "00f067aa0ba902b7", TraceFlags.getSampled(), TraceState.getDefault());
        store.append(StreamIds.forAccount("acme"), ExpectedVersion.ANY, List.of(tracedAction("acme", "e1", recorded)));

        SpanData applied = awaitSpan("a scoring span linked to the recording call", span -> linksTo(span, recorded));
        assertThat(applied.getName()).isEqualTo("scoring.apply");
        assertThat(applied.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(applied.getParentSpanContext().isValid()).as("a root of its own: the event is long recorded").isFalse();
        assertThat(applied.getAttributes().get(AttributeKey.stringKey("pql.scoring.processor"))).isEqualTo("scoring-v1");
        // the batch may also hold the definitions the module published at start-up, in the same chunk
        assertThat(applied.getAttributes().get(AttributeKey.longKey("pql.scoring.events"))).isPositive();
        assertThat(applied.getAttributes().get(AttributeKey.longKey("pql.log.last_position")))
                .isEqualTo(store.headPosition());
        LinkData link = applied.getLinks().get(0);
        assertThat(link.getAttributes().get(AttributeKey.stringKey("pql.event_id"))).isEqualTo("e1");
        assertThat(link.getAttributes().get(AttributeKey.longKey("pql.log.position"))).isEqualTo(store.headPosition());
        assertThat(EnvelopeTracing.spanContextOf(store.readStream(StreamIds.forAccount("acme"), 0, 1).get(0)
                .envelope().getTraceContext()).getSpanId()).isEqualTo(recorded.getSpanId());
    }

    @Test
    void moreLinkedEventsThanASpanMayLinkAreSpreadOverSeveralSpans() {
        List<EventEnvelope> events = new ArrayList<>();
        List<SpanContext> recorded = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            SpanContext context = SpanContext.createFromRemoteParent(String.format("%032x", 0xabc000L + i),
                    String.format("%016x", 0xdef000L + i), TraceFlags.getSampled(), TraceState.getDefault());
            recorded.add(context);
            events.add(tracedAction("bulk", "b" + i, context));
        }
        store.append(StreamIds.forAccount("bulk"), ExpectedVersion.ANY, events);

        Await.until("every event's trace linked", () -> recorded.stream().allMatch(context ->
                spans.getFinishedSpanItems().stream().anyMatch(span -> linksTo(span, context))));
        assertThat(spans.getFinishedSpanItems()).allSatisfy(span -> assertThat(span.getLinks().size())
                .isLessThanOrEqualTo(128));
    }

    @Test
    void eventsAppliedLagAndRescoreProgressAreMeasured() {
        SampleHistory history = SampleHistory.generate(3, 10, 30);
        history.appendTo(store, 0, history.size(), 50);
        Await.until("caught up", () -> module.projectionLag() == 0);

        Await.until("events applied counted", () -> counter("pql.scoring.events.applied") >= history.size());
        assertThat(gauge("pql.scoring.projection_lag")).contains(0.0);
        assertThat(gauge("pql.scoring.events_applied")).contains((double) history.size());
        assertThat(gauge("pql.scoring.segments_held")).contains(2.0);

        var definitions = module.registry();
        int version = definitions.publish(definitions.active().definition(), "test").version();
        module.projections().startRescore(version);
        Await.until("the rescore caught up", () -> module.projections().rescoreProgress(version).eventsDone()
                >= history.size());
        Collection<MetricData> collected = metrics.collectAllMetrics();
        assertThat(values(collected, "pql.scoring.rescore_events_total")).contains((double) store.headPosition());
        assertThat(values(collected, "pql.scoring.rescore_progress")).singleElement()
                .satisfies(progress -> assertThat(progress).isBetween(0.0, 1.0));
        assertThat(values(collected, "pql.scoring.rescore_events_done")).isNotEmpty();
    }

    @Test
    void theAdminPortGaugesShowTheLagFallingToZeroAndTheRescoreProgress() {
        com.codahale.metrics.MetricRegistry registry = new com.codahale.metrics.MetricRegistry();
        module.registerMetrics(registry);
        SampleHistory history = SampleHistory.generate(3, 10, 30);
        history.appendTo(store, 0, history.size(), 50);

        Await.until("caught up", () -> (Long) registry.getGauges().get("scoring.projection-lag").getValue() == 0);
        assertThat(registry.getGauges().get("scoring.projection-lag-seconds").getValue()).isEqualTo(0L);
        assertThat((Long) registry.getGauges().get("scoring.events-applied").getValue()).isEqualTo(history.size());
        assertThat(registry.getGauges().get("scoring.rescore.active").getValue()).isEqualTo(0);
        assertThat(registry.getGauges().get("scoring.rescore.progress").getValue()).isEqualTo(1.0);

        var definitions = module.registry();
        int version = definitions.publish(definitions.active().definition(), "test").version();
        module.projections().startRescore(version);
        assertThat(registry.getGauges().get("scoring.rescore.active").getValue()).isEqualTo(1);
        assertThat((Long) registry.getGauges().get("scoring.rescore.events-total").getValue()).isEqualTo(store.headPosition());
        Await.until("the rescore caught up", () -> module.projections().rescoreProgress(version).eventsDone()
                >= history.size());
        assertThat((Double) registry.getGauges().get("scoring.rescore.progress").getValue()).isBetween(0.0, 1.0);
    }

    private long counter(String name) {
        return metrics.collectAllMetrics().stream().filter(m -> m.getName().equals(name))
                .flatMap(m -> m.getLongSumData().getPoints().stream()).mapToLong(p -> p.getValue()).sum();
    }

    private Optional<Double> gauge(String name) {
        List<Double> found = values(metrics.collectAllMetrics(), name);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    private static List<Double> values(Collection<MetricData> collected, String name) {
        List<Double> values = new ArrayList<>();
        for (MetricData metric : collected) {
            if (!metric.getName().equals(name)) {
                continue;
            }
            switch (metric.getType()) {
                case LONG_GAUGE -> metric.getLongGaugeData().getPoints().forEach(p -> values.add((double) p.getValue()));
                case DOUBLE_GAUGE -> metric.getDoubleGaugeData().getPoints().forEach(p -> values.add(p.getValue()));
                default -> { }
            }
        }
        return values;
    }
}
