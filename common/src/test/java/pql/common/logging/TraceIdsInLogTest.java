package pql.common.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Each line logged while a span is current names its trace and span, whatever the layout. */
class TraceIdsInLogTest {

    @Test
    void a_line_logged_in_a_span_carries_its_ids_and_a_line_outside_carries_none() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        PatternLayout layout = new PatternLayout(); // wrapped as Dropwizard wraps its layouts
        layout.setContext(context);
        layout.setPattern("%-5p %c: %m%n"); // a pattern that knows nothing of traces
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(written);
        appender.start();
        Logger logger = context.getLogger("pql.test.traced");
        logger.addAppender(appender);
        logger.setAdditive(false);
        Span span = SdkTracerProvider.builder().build().get("test").spanBuilder("call").startSpan();
        try {
            LogSafety.install();
            try (Scope ignored = span.makeCurrent()) {
                logger.warn("inside the call");
            } finally {
                span.end();
            }
            logger.warn("after the call");
        } finally {
            logger.detachAppender(appender);
        }

        String[] lines = written.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines[0]).isEqualTo("WARN  pql.test.traced: inside the call trace_id="
                + span.getSpanContext().getTraceId() + " span_id=" + span.getSpanContext().getSpanId());
        assertThat(lines[1]).isEqualTo("WARN  pql.test.traced: after the call");
    }
}
