package pql.common.logging;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * One WARN line per kind of refusal per interval, whatever the callers send: an unauthenticated
 * caller must not be able to flood the log. The next line says how many were left out.
 */
public final class RateLimitedLog {

    private record Window(AtomicLong nextAllowedNanos, AtomicLong suppressed) {
    }

    private final Logger log;
    private final long intervalNanos;
    private final ConcurrentMap<String, Window> windows = new ConcurrentHashMap<>();

    public RateLimitedLog(Logger log, Duration interval) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
    }

    /** Logs {@code line} (one line, no stack trace) unless a line of the same kind was logged within the interval. */
    public void warn(String kind, String line) {
        Window window = windows.computeIfAbsent(kind, k -> new Window(new AtomicLong(Long.MIN_VALUE), new AtomicLong()));
        long now = System.nanoTime();
        long next = window.nextAllowedNanos().get();
        if ((next == Long.MIN_VALUE || now - next >= 0) && window.nextAllowedNanos().compareAndSet(next, now + intervalNanos)) {
            long left = window.suppressed().getAndSet(0);
            log.warn(left == 0 ? "{}" : "{} ({} more like it not logged)", oneLine(line), left);
        } else {
            window.suppressed().incrementAndGet();
        }
    }

    private static String oneLine(String text) {
        String flat = text.replaceAll("[\\r\\n]+", " ");
        return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
    }
}
