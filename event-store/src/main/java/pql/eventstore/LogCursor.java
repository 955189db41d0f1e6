package pql.eventstore;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A blocking, single-consumer cursor over the global log: catch-up, then live. Shaped like
 * Axon's {@code BlockingStream} so the Axon message source is a thin wrapper.
 */
public interface LogCursor extends AutoCloseable {

    /** The next event if one is available now, without consuming it. */
    Optional<StoredEvent> peek();

    /** Waits up to the timeout for a next event. */
    boolean hasNextAvailable(long timeout, TimeUnit unit) throws InterruptedException;

    /** The next event, waiting as long as it takes. */
    StoredEvent nextAvailable() throws InterruptedException;

    /** Position of the last event returned by {@link #nextAvailable()} (or the start). */
    long position();

    @Override
    void close();
}
