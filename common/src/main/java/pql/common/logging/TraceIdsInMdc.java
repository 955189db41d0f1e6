package pql.common.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import org.slf4j.MDC;
import org.slf4j.Marker;

/**
 * Puts the current OpenTelemetry span's ids in the MDC ({@value #TRACE_ID}, {@value #SPAN_ID})
 * of every log call, so each line written while a call is traced can be found from its trace.
 * A turbo filter runs on the logging thread before the event is made, the one moment the span
 * is still current (the appenders are asynchronous), whoever logs: our code or a library. Lines
 * outside any span lose stale ids rather than keep a finished call's.
 */
public final class TraceIdsInMdc extends TurboFilter {

    public static final String TRACE_ID = "trace_id";
    public static final String SPAN_ID = "span_id";

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        // Only for a line that will be written: this runs before the level check, for every call.
        if (level == null || logger == null || !level.isGreaterOrEqual(logger.getEffectiveLevel())) {
            return FilterReply.NEUTRAL;
        }
        SpanContext span = Span.current().getSpanContext();
        if (span.isValid()) {
            MDC.put(TRACE_ID, span.getTraceId());
            MDC.put(SPAN_ID, span.getSpanId());
        } else if (MDC.get(TRACE_ID) != null) {
            MDC.remove(TRACE_ID);
            MDC.remove(SPAN_ID);
        }
        return FilterReply.NEUTRAL;
    }
}
