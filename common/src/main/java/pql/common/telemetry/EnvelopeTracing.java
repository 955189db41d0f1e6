package pql.common.telemetry;

import com.google.protobuf.ByteString;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import pql.v1.TraceContext;

/**
 * Carries W3C trace context inside stored events, so the projection that applies an event can
 * link its span to the call that recorded it, even hours later or after a replay.
 */
public final class EnvelopeTracing {

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

    private static final TextMapGetter<TraceContext> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(TraceContext carrier) {
            return List.of("traceparent", "tracestate");
        }

        @Override
        public String get(TraceContext carrier, String key) {
            if (carrier == null) {
                return null;
            }
            return switch (key) {
                case "traceparent" -> carrier.getTraceparent().isEmpty() ? null : carrier.getTraceparent();
                case "tracestate" -> carrier.getTracestate().isEmpty() ? null : carrier.getTracestate();
                default -> null;
            };
        }
    };

    private EnvelopeTracing() {
    }

    /**
     * The trace context of {@code context} (usually {@code Context.current()}); empty when none.
     * Its fields are held as UTF-8 bytes: one context goes into every envelope of a batch, and
     * bytes are written as they are where a String would be encoded again for each envelope.
     */
    public static TraceContext capture(Context context) {
        Map<String, String> headers = new HashMap<>();
        W3C.inject(context, headers, Map::put);
        TraceContext.Builder builder = TraceContext.newBuilder();
        String traceparent = headers.get("traceparent");
        if (traceparent != null) {
            builder.setTraceparentBytes(ByteString.copyFromUtf8(traceparent));
        }
        String tracestate = headers.get("tracestate");
        if (tracestate != null) {
            builder.setTracestateBytes(ByteString.copyFromUtf8(tracestate));
        }
        return builder.build();
    }

    /** The span context stored in an envelope, invalid when none was stored. */
    public static SpanContext spanContextOf(TraceContext stored) {
        Context extracted = W3C.extract(Context.root(), stored, GETTER);
        return Span.fromContext(extracted).getSpanContext();
    }
}
