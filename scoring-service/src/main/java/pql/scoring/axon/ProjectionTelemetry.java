package pql.scoring.axon;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import pql.common.telemetry.EnvelopeTracing;
import pql.eventstore.LogRecord;
import pql.v1.EventEnvelope;
import pql.scoring.app.ScoringProjection;
import pql.v1.TraceContext;

/**
 * What the projections report to OpenTelemetry: a {@code scoring.apply} span per batch a segment applies
 * (the segment's events of one chunk), and the {@code pql.scoring.events.applied} counter.
 *
 * <p>The span links to the trace context each <em>live</em> event carries in its envelope (the client
 * call that recorded it: client, gateway, ingest, store append), so one client trace leads to the
 * projection that applied its event. Replayed history (start-up, rescores) gets spans without links:
 * parsing millions of old trace contexts would cost more than the replay, for traces long gone. A span
 * holds at most {@value #MAX_LINKS} links (the SDK's default limit); a batch with more linked events is
 * split over several spans, so no live event loses its link.
 */
public final class ProjectionTelemetry {

    static final int MAX_LINKS = 128;
    private static final AttributeKey<String> PROCESSOR = AttributeKey.stringKey("pql.scoring.processor");
    private static final AttributeKey<Long> VERSION = AttributeKey.longKey("pql.scoring.definition_version");
    private static final AttributeKey<Long> SEGMENT = AttributeKey.longKey("pql.scoring.segment");
    private static final AttributeKey<Long> EVENTS = AttributeKey.longKey("pql.scoring.events");
    private static final AttributeKey<Long> FIRST = AttributeKey.longKey("pql.log.first_position");
    private static final AttributeKey<Long> LAST = AttributeKey.longKey("pql.log.last_position");
    private static final AttributeKey<Long> POSITION = AttributeKey.longKey("pql.log.position");
    private static final AttributeKey<String> EVENT_ID = AttributeKey.stringKey("pql.event_id");

    public static final ProjectionTelemetry NONE = new ProjectionTelemetry(OpenTelemetry.noop().getTracer("none"),
            OpenTelemetry.noop().getMeter("none"));

    private final Tracer tracer;
    private final LongCounter applied;

    public ProjectionTelemetry(Tracer tracer, Meter meter) {
        this.tracer = tracer;
        this.applied = meter.counterBuilder("pql.scoring.events.applied")
                .setDescription("events applied by the scoring projections (replays included), by processor").build();
    }

    /**
     * Applies {@code events} (one segment's, in log order) with {@code apply}, inside spans that link the
     * live events' recorded trace contexts.
     */
    void applyTraced(String processor, ScoringProjection projection, int segmentId, List<LogRecord> events,
            Consumer<LogRecord> apply) {
        int from = 0;
        while (from < events.size()) {
            SpanBuilder builder = tracer.spanBuilder("scoring.apply").setSpanKind(SpanKind.CONSUMER).setNoParent();
            int links = 0;
            int to = from;
            while (to < events.size()) {
                LogRecord event = events.get(to);
                if (projection.isLive(event.globalPosition())) {
                    // live events only: a replay's records are never read here
                    RecordedCall call = RecordedCall.of(event);
                    SpanContext recorded = recordedContext(call.traceContext());
                    if (recorded.isValid()) {
                        if (links == MAX_LINKS) {
                            break;
                        }
                        builder.addLink(recorded, Attributes.of(POSITION, event.globalPosition(), EVENT_ID,
                                call.eventId()));
                        links++;
                    }
                }
                to++;
            }
            Span span = builder
                    .setAttribute(PROCESSOR, processor)
                    .setAttribute(VERSION, (long) projection.version())
                    .setAttribute(SEGMENT, (long) segmentId)
                    .setAttribute(EVENTS, (long) (to - from))
                    .setAttribute(FIRST, events.get(from).globalPosition())
                    .setAttribute(LAST, events.get(to - 1).globalPosition())
                    .startSpan();
            try (Scope ignored = span.makeCurrent()) {
                for (int i = from; i < to; i++) {
                    apply.accept(events.get(i));
                }
            } catch (RuntimeException e) {
                span.recordException(e);
                span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
                throw e;
            } finally {
                span.end();
            }
            from = to;
        }
        applied.add(events.size(), Attributes.of(PROCESSOR, processor));
    }

    /**
     * The two envelope fields a link needs, read from the stored bytes (pql.v1.EventEnvelope's field
     * numbers) without parsing the rest: the payload and the timestamps are skipped.
     */
    record RecordedCall(String eventId, TraceContext traceContext) {

        private static final int EVENT_ID_FIELD = EventEnvelope.EVENT_ID_FIELD_NUMBER;
        private static final int TRACE_CONTEXT_FIELD = EventEnvelope.TRACE_CONTEXT_FIELD_NUMBER;

        static RecordedCall of(LogRecord event) {
            if (!event.hasEnvelopeBytes()) {
                EventEnvelope envelope = event.envelope();
                return new RecordedCall(envelope.getEventId(), envelope.getTraceContext());
            }
            CodedInputStream in = CodedInputStream.newInstance(event.bytes(), event.envelopeOffset(),
                    event.envelopeLength());
            String eventId = "";
            TraceContext traceContext = TraceContext.getDefaultInstance();
            try {
                for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                    int field = WireFormat.getTagFieldNumber(tag);
                    if (field == EVENT_ID_FIELD && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                        eventId = in.readStringRequireUtf8();
                    } else if (field == TRACE_CONTEXT_FIELD
                            && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                        // a field sent twice merges, as protobuf parses it
                        traceContext = traceContext.toBuilder().mergeFrom(in.readBytes()).build();
                    } else if (!in.skipField(tag)) {
                        break;
                    }
                }
            } catch (IOException e) {
                EventEnvelope envelope = event.envelope(); // says which position is corrupt
                return new RecordedCall(envelope.getEventId(), envelope.getTraceContext());
            }
            return new RecordedCall(eventId, traceContext);
        }
    }

    private static SpanContext recordedContext(TraceContext stored) {
        if (stored.getTraceparent().isEmpty()) {
            return SpanContext.getInvalid();
        }
        return EnvelopeTracing.spanContextOf(stored);
    }
}
