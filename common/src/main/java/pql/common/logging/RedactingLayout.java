package pql.common.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.LayoutBase;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Wraps an appender's layout and blanks credentials in what it wrote: the values of
 * {@code authorization} and {@code x-api-key} (as headers, {@code key=value} or JSON), bearer
 * tokens and anything shaped like a PQL key ({@code pql_...}). Applied to the whole formatted
 * line, stack traces and MDC included, so a library logging headers at DEBUG/TRACE (Netty's frame
 * logger, Jetty's request dumps) cannot print a key either.
 */
public final class RedactingLayout extends LayoutBase<ILoggingEvent> {

    private static final String REDACTED = "[redacted]";
    private static final Pattern NAMED_VALUE = Pattern.compile(
            "(?i)(authorization|x-api-key|api[-_]?key)([\"']?\\s*[:=]\\s*[\"']?)(bearer\\s+|basic\\s+)?([^\\s,;\\]\\}\"'&]+)");
    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer)\\s+(?!\\[redacted\\])[A-Za-z0-9._~+/=-]{6,}");
    private static final Pattern PQL_KEY = Pattern.compile("pql_[A-Za-z0-9_-]{8,}");

    private final Layout<ILoggingEvent> delegate;

    public RedactingLayout(Layout<ILoggingEvent> delegate) {
        this.delegate = delegate;
    }

    public Layout<ILoggingEvent> delegate() {
        return delegate;
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        return redact(withTraceIds(delegate.doLayout(event), event));
    }

    /**
     * {@code line} with the ids {@link TraceIdsInMdc} put in the event's MDC, appended to its
     * first line, unless the layout already printed them (a pattern with %X{trace_id}, JSON).
     */
    static String withTraceIds(String line, ILoggingEvent event) {
        String traceId = event.getMDCPropertyMap().get(TraceIdsInMdc.TRACE_ID);
        if (line == null || traceId == null || line.contains(traceId)) {
            return line;
        }
        String ids = " trace_id=" + traceId + " span_id=" + event.getMDCPropertyMap().get(TraceIdsInMdc.SPAN_ID);
        int end = line.indexOf('\n');
        if (end > 0 && line.charAt(end - 1) == '\r') {
            end--;
        }
        return end < 0 ? line + ids : line.substring(0, end) + ids + line.substring(end);
    }

    /** {@code text} with every credential replaced by {@code [redacted]}. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = PQL_KEY.matcher(text).replaceAll("pql_" + REDACTED);
        Matcher named = NAMED_VALUE.matcher(out);
        out = named.replaceAll(match -> Matcher.quoteReplacement(match.group(1) + match.group(2)
                + (match.group(3) == null ? "" : match.group(3)) + REDACTED));
        return BEARER.matcher(out).replaceAll("$1 " + REDACTED);
    }

    @Override
    public String getFileHeader() {
        return delegate.getFileHeader();
    }

    @Override
    public String getFileFooter() {
        return delegate.getFileFooter();
    }

    @Override
    public String getPresentationHeader() {
        return delegate.getPresentationHeader();
    }

    @Override
    public String getPresentationFooter() {
        return delegate.getPresentationFooter();
    }

    @Override
    public String getContentType() {
        return delegate.getContentType();
    }
}
