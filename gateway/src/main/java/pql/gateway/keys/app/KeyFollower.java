package pql.gateway.keys.app;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;
import pql.common.logging.RateLimitedLog;
import pql.gateway.keys.domain.KeyRing;
import pql.gateway.keys.domain.RuntimeKey;

/**
 * Keeps this gateway's runtime keys in step with the key stream: reads what was appended since
 * the last poll, every {@code period}, and hands the whole current set on when it changed. Every
 * gateway runs one against the same stream, so all of them converge within a period (plus a read)
 * of a change. When the stream cannot be read the last known keys stay in force.
 */
public final class KeyFollower implements AutoCloseable {

    private static final RateLimitedLog FAILURES =
            new RateLimitedLog(LoggerFactory.getLogger(KeyFollower.class), Duration.ofSeconds(30));

    private final KeyLog log;
    private final Consumer<List<RuntimeKey>> sink;
    private final Duration period;
    private final KeyRing ring = new KeyRing();
    private ScheduledExecutorService timer;

    /** @param sink receives the current keys after each change, on the follower's thread */
    public KeyFollower(KeyLog log, Consumer<List<RuntimeKey>> sink, Duration period) {
        this.log = log;
        this.sink = sink;
        this.period = period;
    }

    /** Polls now and then every period, on a daemon thread of its own. */
    public synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "api-key-follower");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::pollQuietly, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Reads what is new and applies it.
     *
     * @return true when the keys changed
     */
    public synchronized boolean poll() {
        List<KeyLog.Entry> news = log.readFrom(ring.version() + 1);
        news.forEach(entry -> ring.apply(entry.streamVersion(), entry.event()));
        if (!news.isEmpty()) {
            sink.accept(ring.keys());
        }
        return !news.isEmpty();
    }

    /** {@link #poll()}, logging (rarely) instead of failing: for the timer and after a change. */
    public void pollQuietly() {
        try {
            poll();
        } catch (RuntimeException e) {
            FAILURES.warn("poll", "cannot read the api key stream (the last known runtime keys stay in force): " + e);
        }
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
