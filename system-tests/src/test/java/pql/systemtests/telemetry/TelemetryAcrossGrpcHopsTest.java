package pql.systemtests.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.grpc.Channel;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import pql.common.telemetry.EnvelopeTracing;
import pql.eventstore.StoredEvent;
import pql.eventstore.StreamIds;
import pql.v1.DefinitionServiceGrpc;
import pql.v1.DefinitionStatus;
import pql.v1.Event;
import pql.v1.EventResult;
import pql.v1.GetAccountScoreRequest;
import pql.v1.GetDefinitionPresetRequest;
import pql.v1.GetRescoreRequest;
import pql.v1.IngestBatchRequest;
import pql.v1.IngestBatchResponse;
import pql.v1.IngestEventRequest;
import pql.v1.IngestEventResponse;
import pql.v1.IngestServiceGrpc;
import pql.v1.ProductAction;
import pql.v1.ProductComplexity;
import pql.v1.PublishDefinitionRequest;
import pql.v1.RescoreStatus;
import pql.v1.ScoringDefinition;
import pql.v1.ScoringServiceGrpc;
import pql.v1.StartRescoreRequest;

/**
 * OpenTelemetry end to end across real gRPC hops (Netty on loopback, one SDK per process):
 * a client's call through the gateway to ingest and the store append is one trace; the scoring
 * projection that applies the event links its span to the ingest call through the trace context
 * stored in the event's envelope; ingest rate, projection lag and rescore progress are exported.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TelemetryAcrossGrpcHopsTest {

    private static final String ACCOUNT = "acme-e2e";
    private static final String TRACED_EVENT_ID = "e2e-traced-1";
    private static final int BATCH_EVENTS = 40;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    private DistributedSuite suite;
    private Channel gateway;
    /** The client's own span around the traced call. */
    private SpanData clientRoot;

    @BeforeAll
    void startTheSuiteAndIngest() throws Exception {
        suite = new DistributedSuite(dir);
        gateway = suite.clientChannel();
        IngestServiceGrpc.IngestServiceBlockingStub ingest = IngestServiceGrpc.newBlockingStub(gateway);

        Span root = suite.client.telemetry().tracer().spanBuilder("e2e-client ingests one event")
                .setSpanKind(SpanKind.INTERNAL).startSpan();
        IngestEventResponse response;
        try (Scope ignored = root.makeCurrent()) {
            response = ingest.withDeadlineAfter(10, java.util.concurrent.TimeUnit.SECONDS)
                    .ingestEvent(IngestEventRequest.newBuilder().setEvent(action(TRACED_EVENT_ID, "user-1", "invoice_submitted")).build());
        } finally {
            root.end();
        }
        assertThat(response.getResult().getStatus()).isEqualTo(EventResult.Status.STATUS_ACCEPTED);
        clientRoot = await("the client's span", () -> spans(s -> s.getSpanId().equals(root.getSpanContext().getSpanId())).stream().findFirst());

        // more history, in another trace, so the projection and a rescore have something to do
        IngestBatchRequest.Builder batch = IngestBatchRequest.newBuilder();
        for (int i = 0; i < BATCH_EVENTS; i++) {
            batch.addEvents(action("e2e-batch-" + i, "user-" + (i % 4), i % 2 == 0 ? "message_sent" : "report_viewed"));
        }
        IngestBatchResponse batchResponse = ingest.ingestBatch(batch.build());
        assertThat(batchResponse.getAccepted()).isEqualTo(BATCH_EVENTS);

        // the account is scored once the projection has applied every event (read through the gateway)
        ScoringServiceGrpc.ScoringServiceBlockingStub scores = ScoringServiceGrpc.newBlockingStub(gateway);
        await("scoring to apply all " + (BATCH_EVENTS + 1) + " events", () -> {
            try {
                scores.getAccountScore(GetAccountScoreRequest.newBuilder().setAccountId(ACCOUNT).build());
            } catch (io.grpc.StatusRuntimeException notYet) {
                return Optional.empty();
            }
            return suite.scoring.projectionLag() == 0 ? Optional.of(true) : Optional.empty();
        });
    }

    @AfterAll
    void stop() throws Exception {
        if (suite != null) {
            suite.close();
        }
    }

    @Test
    void oneTraceFromTheClientThroughGatewayAndIngestToTheStoreAppend() {
        String trace = clientRoot.getTraceId();
        SpanData clientCall = await("the client's gRPC span", () -> child(trace, clientRoot, SpanKind.CLIENT, "e2e-client"));
        SpanData gatewayServer = await("the gateway's server span", () -> child(trace, clientCall, SpanKind.SERVER, "pql-gateway"));
        SpanData gatewayClient = await("the gateway's call to ingest", () -> child(trace, gatewayServer, SpanKind.CLIENT, "pql-gateway"));
        SpanData ingestServer = await("ingest's server span", () -> child(trace, gatewayClient, SpanKind.SERVER, "pql-ingest-service"));
        SpanData append = await("the store append span", () -> child(trace, ingestServer, SpanKind.INTERNAL, "pql-ingest-service"));

        for (SpanData rpc : List.of(clientCall, gatewayServer, gatewayClient, ingestServer)) {
            assertThat(rpc.getName()).isEqualTo("pql.v1.IngestService/IngestEvent");
        }
        assertThat(append.getName()).isEqualTo("ingest.append");
        assertThat(append.getAttributes().get(AttributeKey.longKey("pql.ingest.events"))).isEqualTo(1L);
        assertThat(append.getAttributes().get(AttributeKey.longKey("pql.ingest.accepted"))).isEqualTo(1L);
        // the append finishes inside the call that waited for it to be durable. Spans are exported
        // as they end (SimpleSpanProcessor), so the export order is the order they ended in; their
        // timestamps are not comparable across spans whose clocks were anchored separately.
        // The append and ingest's server span are ended by two threads, so their export order can race
        // on a loaded machine; both come from ingest's SDK (the append is a local child: same clock anchor),
        // so their end times compare.
        assertThat(append.getEndEpochNanos()).isLessThanOrEqualTo(ingestServer.getEndEpochNanos());
        // Across processes only causality orders the exports: the append ends before ingest answers, so
        // before the gateway can answer. Ingest's server span is no anchor here: gRPC ends it when the
        // call completes, which can be after the gateway has already answered its client.
        List<String> endOrder = suite.spans.getFinishedSpanItems().stream().map(SpanData::getSpanId).toList();
        assertThat(endOrder.indexOf(append.getSpanId())).isLessThan(endOrder.indexOf(gatewayServer.getSpanId()));
    }

    @Test
    void theStoredEnvelopeCarriesTheIngestCallAndTheProjectionSpanLinksToIt() {
        String trace = clientRoot.getTraceId();
        SpanData ingestServer = await("ingest's server span", () -> spans(s -> s.getTraceId().equals(trace)
                && s.getKind() == SpanKind.SERVER && serviceOf(s).equals("pql-ingest-service")).stream().findFirst());
        StoredEvent stored = suite.store.readStream(StreamIds.forAccount(ACCOUNT), 0, 1000).stream()
                .filter(e -> e.envelope().getEventId().equals(TRACED_EVENT_ID)).findFirst().orElseThrow();
        SpanContext recorded = EnvelopeTracing.spanContextOf(stored.envelope().getTraceContext());
        assertThat(recorded.isValid()).as("the envelope carries a trace context").isTrue();
        assertThat(recorded.getTraceId()).isEqualTo(trace);
        assertThat(recorded.getSpanId()).as("the context of the ingest call").isEqualTo(ingestServer.getSpanId());

        SpanData projection = await("a scoring span linked to the ingest call", () -> spans(s ->
                serviceOf(s).equals("pql-scoring-service") && s.getLinks().stream().anyMatch(link -> sameSpan(link, recorded)))
                .stream().findFirst(), () -> "scoring spans seen: " + names("pql-scoring-service"));
        assertThat(projection.getKind()).isIn(SpanKind.INTERNAL, SpanKind.CONSUMER);
    }

    @Test
    void ingestRateProjectionLagAndRescoreProgressAreExported() {
        int ingested = BATCH_EVENTS + 1;
        // ingest rate: a counter of events by result, turned into a rate by the backend
        MetricData events = metric(suite.ingestProcess, "pql.ingest.events");
        long accepted = events.getLongSumData().getPoints().stream()
                .filter(p -> "accepted".equals(p.getAttributes().get(AttributeKey.stringKey("pql.ingest.result"))))
                .mapToLong(LongPointData::getValue).sum();
        assertThat(events.getLongSumData().isMonotonic()).isTrue();
        assertThat(accepted).isEqualTo(ingested);
        assertThat(metric(suite.ingestProcess, "pql.ingest.append.duration").getHistogramData().getPoints())
                .singleElement().satisfies(p -> assertThat(p.getCount()).isEqualTo(2));
        // every hop's gRPC calls, from the OpenTelemetry gRPC instrumentation
        assertThat(metric(suite.gatewayProcess, "rpc.server.duration").getHistogramData().getPoints()).isNotEmpty();
        assertThat(metric(suite.gatewayProcess, "rpc.client.duration").getHistogramData().getPoints()).isNotEmpty();
        assertThat(metric(suite.ingestProcess, "rpc.server.duration").getHistogramData().getPoints()).isNotEmpty();

        // projection lag: caught up, so nothing behind the log head
        assertThat(longGauge(suite.scoringProcess, "pql.scoring.projection_lag")).containsExactly(0L);
        assertThat(longGauge(suite.scoringProcess, "pql.scoring.events_applied")).singleElement()
                .satisfies(applied -> assertThat(applied).isGreaterThanOrEqualTo(ingested));

        // rescore progress: publish v2, replay the history into it, read the gauge
        DefinitionServiceGrpc.DefinitionServiceBlockingStub definitions = DefinitionServiceGrpc.newBlockingStub(gateway);
        ScoringDefinition preset = definitions.getDefinitionPreset(GetDefinitionPresetRequest.newBuilder()
                .setProductComplexity(ProductComplexity.PRODUCT_COMPLEXITY_INTERMEDIATE).build());
        int version = definitions.publishDefinition(PublishDefinitionRequest.newBuilder()
                .setDefinition(preset.toBuilder().setName("e2e: rescore for the metrics")).build()).getVersion();
        definitions.startRescore(StartRescoreRequest.newBuilder().setVersion(version).build());
        RescoreStatus ready = await("the rescore of v" + version + " to catch up", () -> {
            RescoreStatus status = definitions.getRescore(GetRescoreRequest.newBuilder().setVersion(version).build());
            return status.getStatus() == DefinitionStatus.DEFINITION_STATUS_READY ? Optional.of(status) : Optional.empty();
        });
        assertThat(ready.getEventsDone()).isGreaterThanOrEqualTo(ingested);
        assertThat(longGauge(suite.scoringProcess, "pql.scoring.rescore_events_done")).containsExactly(ready.getEventsDone());
    }

    // --- events -------------------------------------------------------------------------------

    private static Event action(String eventId, String user, String action) {
        Instant now = Instant.now();
        return Event.newBuilder().setEventId(eventId).setAccountId(ACCOUNT)
                .setOccurredAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                .setProductAction(ProductAction.newBuilder().setUserId(user).setAction(action))
                .build();
    }

    // --- spans --------------------------------------------------------------------------------

    private List<SpanData> spans(Predicate<SpanData> filter) {
        return suite.spans.getFinishedSpanItems().stream().filter(filter).toList();
    }

    /** The one span of {@code kind} from {@code service} whose parent is {@code parent}. */
    private Optional<SpanData> child(String trace, SpanData parent, SpanKind kind, String service) {
        List<SpanData> children = spans(s -> s.getTraceId().equals(trace) && s.getParentSpanId().equals(parent.getSpanId())
                && s.getKind() == kind && serviceOf(s).equals(service));
        assertThat(children).as("%s %s spans under %s", service, kind, parent.getName()).hasSizeLessThanOrEqualTo(1);
        return children.stream().findFirst();
    }

    private static String serviceOf(SpanData span) {
        return span.getResource().getAttribute(ProcessTelemetry.SERVICE_NAME);
    }

    private static boolean sameSpan(LinkData link, SpanContext context) {
        return link.getSpanContext().getTraceId().equals(context.getTraceId())
                && link.getSpanContext().getSpanId().equals(context.getSpanId());
    }

    private List<String> names(String service) {
        return spans(s -> serviceOf(s).equals(service)).stream()
                .map(s -> s.getName() + "(" + s.getKind() + ", " + s.getLinks().size() + " links)").distinct().toList();
    }

    // --- metrics ------------------------------------------------------------------------------

    private static MetricData metric(ProcessTelemetry process, String name) {
        Collection<MetricData> all = process.collectMetrics();
        return all.stream().filter(m -> m.getName().equals(name)).findFirst().orElseThrow(() -> new AssertionError(
                process.serviceName() + " exports no metric " + name + "; it exports "
                        + all.stream().map(MetricData::getName).sorted().toList()));
    }

    private static List<Long> longGauge(ProcessTelemetry process, String name) {
        List<Long> values = new ArrayList<>();
        for (PointData point : metric(process, name).getLongGaugeData().getPoints()) {
            values.add(((LongPointData) point).getValue());
        }
        return values;
    }

    // --- waiting ------------------------------------------------------------------------------

    private static <T> T await(String what, Supplier<Optional<T>> probe) {
        return await(what, probe, () -> "");
    }

    /** Polls until {@code probe} has a value; the suite runs asynchronously (spans end after responses). */
    private static <T> T await(String what, Supplier<Optional<T>> probe, Supplier<String> detail) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + WAIT.toSeconds() + " s for " + what + ". " + detail.get());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}
