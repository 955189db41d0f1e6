package pql.common.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.spi.FilterReply;
import java.time.Duration;
import java.util.Iterator;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * What every PQL process does to its logging once Dropwizard has configured it: every text
 * appender writes through {@link RedactingLayout} (which also adds the current trace and span
 * ids, put in the MDC by {@link TraceIdsInMdc}), and gRPC/Netty transport errors caused by a
 * caller (an oversized message or header block, a reset stream) become one rate-limited line
 * instead of a stack trace per call.
 */
public final class LogSafety {

    private LogSafety() {
    }

    /** Idempotent: a process that reconfigures logging calls it again. */
    public static void install() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        for (Logger logger : context.getLoggerList()) {
            for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
                redact(it.next());
            }
        }
        if (context.getTurboFilterList().stream().noneMatch(TraceIdsInMdc.class::isInstance)) {
            TraceIdsInMdc traceIds = new TraceIdsInMdc();
            traceIds.setContext(context);
            traceIds.start();
            context.addTurboFilter(traceIds);
        }
        if (context.getTurboFilterList().stream().noneMatch(OneLineTransportErrors.class::isInstance)) {
            OneLineTransportErrors filter = new OneLineTransportErrors();
            filter.setContext(context);
            filter.start();
            context.addTurboFilter(filter);
        }
    }

    private static void redact(Appender<ILoggingEvent> appender) {
        if (appender instanceof AppenderAttachable<?> wrapper) {
            @SuppressWarnings("unchecked")
            AppenderAttachable<ILoggingEvent> attached = (AppenderAttachable<ILoggingEvent>) wrapper;
            for (Iterator<Appender<ILoggingEvent>> it = attached.iteratorForAppenders(); it.hasNext(); ) {
                redact(it.next());
            }
        }
        if (appender instanceof OutputStreamAppender<ILoggingEvent> stream
                && stream.getEncoder() instanceof LayoutWrappingEncoder<ILoggingEvent> encoder
                && encoder.getLayout() != null && !(encoder.getLayout() instanceof RedactingLayout)) {
            RedactingLayout layout = new RedactingLayout(encoder.getLayout());
            layout.setContext(encoder.getLayout().getContext());
            layout.start();
            encoder.setLayout(layout);
        }
    }

    /** Transport errors with a stack trace, from the gRPC Netty transport, as one line per kind every 10 s. */
    static final class OneLineTransportErrors extends TurboFilter {

        private final RateLimitedLog log = new RateLimitedLog(LoggerFactory.getLogger("pql.grpc.transport"), Duration.ofSeconds(10));

        @Override
        public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
            if (t == null || level == null || !level.isGreaterOrEqual(Level.WARN) || !isTransport(logger.getName())) {
                return FilterReply.NEUTRAL;
            }
            String source = logger.getName().substring(logger.getName().lastIndexOf('.') + 1);
            log.warn(source + ":" + format, source + ": " + format + ": " + t);
            return FilterReply.DENY;
        }

        private static boolean isTransport(String name) {
            return name.startsWith("io.grpc.netty") || name.startsWith("io.netty");
        }
    }
}
