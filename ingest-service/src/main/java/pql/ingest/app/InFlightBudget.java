package pql.ingest.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bounds what the service holds while the store works: events and encoded bytes accepted by a
 * call but not yet durable, across all calls. A call that does not fit is refused (unary, batch)
 * or waits unread (streams), so a lagging store slows clients down instead of filling the heap.
 *
 * <p>Thread-safe. Calls are few (one per batch or chunk), so one lock is cheap enough.
 */
public final class InFlightBudget {

    private final long maxEvents;
    private final long maxBytes;
    private final Executor waiterExecutor;
    private long events;
    private long bytes;
    private List<Runnable> waiters = new ArrayList<>();

    /**
     * @param waiterExecutor runs the callbacks of {@link #tryAcquireOrWait} and {@link #hasRoomOrWait}
     *     (never the releasing thread, which is often the store's writer)
     */
    public InFlightBudget(long maxEvents, long maxBytes, Executor waiterExecutor) {
        if (maxEvents < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("budgets must be positive");
        }
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
        this.waiterExecutor = waiterExecutor;
    }

    /** Whether a call of this size could ever fit, with nothing else in flight. */
    public boolean canEverFit(int eventCount, long byteCount) {
        return eventCount <= maxEvents && byteCount <= maxBytes;
    }

    /** A lease on the room, or empty when it does not fit now. */
    public synchronized Optional<Lease> tryAcquire(int eventCount, long byteCount) {
        if (!fitsNow(eventCount, byteCount)) {
            return Optional.empty();
        }
        events += eventCount;
        bytes += byteCount;
        return Optional.of(new Lease(eventCount, byteCount));
    }

    /**
     * A lease, or empty after registering {@code whenReleased} to run once the next lease is
     * released (atomically, so no release between the failed attempt and the registration is
     * missed). The waiter must try again: other calls may take the room first.
     */
    public synchronized Optional<Lease> tryAcquireOrWait(int eventCount, long byteCount, Runnable whenReleased) {
        Optional<Lease> lease = tryAcquire(eventCount, byteCount);
        if (lease.isEmpty()) {
            waiters.add(whenReleased);
        }
        return lease;
    }

    /** True when a call of this size would fit now; otherwise registers {@code whenReleased}. */
    public synchronized boolean hasRoomOrWait(int eventCount, long byteCount, Runnable whenReleased) {
        if (fitsNow(eventCount, byteCount)) {
            return true;
        }
        waiters.add(whenReleased);
        return false;
    }

    public synchronized long eventsInFlight() {
        return events;
    }

    public synchronized long bytesInFlight() {
        return bytes;
    }

    public long maxEvents() {
        return maxEvents;
    }

    public long maxBytes() {
        return maxBytes;
    }

    private boolean fitsNow(int eventCount, long byteCount) {
        return events + eventCount <= maxEvents && bytes + byteCount <= maxBytes;
    }

    private void release(int eventCount, long byteCount) {
        List<Runnable> ready;
        synchronized (this) {
            events -= eventCount;
            bytes -= byteCount;
            if (waiters.isEmpty()) {
                return;
            }
            ready = waiters;
            waiters = new ArrayList<>();
        }
        for (Runnable waiter : ready) {
            try {
                waiterExecutor.execute(waiter);
            } catch (RejectedExecutionException shuttingDown) {
                // the service is stopping; its calls are being cancelled anyway
            }
        }
    }

    /** Room held by one call until its events are durable (or failed). Closing twice is harmless. */
    public final class Lease implements AutoCloseable {
        private final int eventCount;
        private final long byteCount;
        private final AtomicBoolean released = new AtomicBoolean();

        private Lease(int eventCount, long byteCount) {
            this.eventCount = eventCount;
            this.byteCount = byteCount;
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                release(eventCount, byteCount);
            }
        }
    }
}
