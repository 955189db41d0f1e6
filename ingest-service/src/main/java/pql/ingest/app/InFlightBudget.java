package pql.ingest.app;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Bounds what the service holds while the store works, in size and in time: events and encoded
 * bytes accepted by calls but not yet durable, across all calls, and how long a call may wait for
 * that room. A call that does not fit waits in arrival order; one still waiting
 * {@code maxAdmissionWait} after it arrived is refused ({@link IngestOverloadedException} with a
 * retry hint), so a lagging store makes clients back off instead of filling the heap or queueing
 * them for tens of seconds.
 *
 * <p>Time also bounds the room itself: once the store's drain rate is known (events made durable
 * per second while something was in flight), at most {@code rate x maxAdmissionWait} events are
 * admitted, so an admitted call waits about that long for the store at most, whatever
 * {@code maxEvents} allows. The rate-based room never goes below a twentieth of {@code maxEvents},
 * and a call that fits the whole budget is always admitted when nothing is in flight.
 *
 * <p>Thread-safe. Calls are few (one per batch or chunk), so one lock is cheap enough.
 */
public final class InFlightBudget {

    /** Bounds of the retry hint given with a refusal. */
    static final Duration MIN_RETRY_HINT = Duration.ofMillis(100);
    static final Duration MAX_RETRY_HINT = Duration.ofSeconds(10);
    /** How long a drain-rate reading runs. */
    static final long RATE_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final long maxEvents;
    private final long maxBytes;
    private final long maxWaitNanos;
    private final Executor waiterExecutor;
    private final Timer timer;
    private final LongSupplier nanoClock;
    private long events;
    private long bytes;
    /** Calls waiting for room, oldest first; only the head may take room (no overtaking). */
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    /** Streams waiting to read their next chunk: told at every release. */
    private List<Runnable> roomWatchers = new ArrayList<>();

    // drain rate: events released during the current window, and how long something was in flight in it
    private long windowStart;
    private long windowReleased;
    private long windowBusyNanos;
    private long busySince = -1;
    /** Events made durable per second of busy store, 0 while unknown. */
    private double drainRate;

    /**
     * @param maxAdmissionWait how long a call may wait for room, counted from its arrival (zero:
     *     refused at once when it does not fit)
     * @param waiterExecutor completes the waiting calls and runs the room watchers (never the
     *     releasing thread, which is often the store's writer)
     * @param timer refuses the calls that waited too long
     * @param nanoClock {@link System#nanoTime} outside tests
     */
    public InFlightBudget(long maxEvents, long maxBytes, Duration maxAdmissionWait, Executor waiterExecutor,
            Timer timer, LongSupplier nanoClock) {
        if (maxEvents < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("budgets must be positive");
        }
        if (maxAdmissionWait.isNegative()) {
            throw new IllegalArgumentException("maxAdmissionWait must not be negative");
        }
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
        this.maxWaitNanos = maxAdmissionWait.toNanos();
        this.waiterExecutor = waiterExecutor;
        this.timer = timer;
        this.nanoClock = nanoClock;
        this.windowStart = nanoClock.getAsLong();
    }

    /** A budget whose calls never wait: refused at once when they do not fit. */
    public InFlightBudget(long maxEvents, long maxBytes, Executor waiterExecutor) {
        this(maxEvents, maxBytes, Duration.ZERO, waiterExecutor, null, System::nanoTime);
    }

    /** Whether a call of this size could ever fit, with nothing else in flight. */
    public boolean canEverFit(int eventCount, long byteCount) {
        return eventCount <= maxEvents && byteCount <= maxBytes;
    }

    /** A lease on the room, or empty when it does not fit now (or calls that came first are waiting). */
    public synchronized Optional<Lease> tryAcquire(int eventCount, long byteCount) {
        if (!waiters.isEmpty() || !fitsNow(eventCount, byteCount)) {
            return Optional.empty();
        }
        return Optional.of(take(eventCount, byteCount));
    }

    /**
     * A lease once the room is free, after the calls that came first; or, if that has not
     * happened {@code maxAdmissionWait} after {@code arrivedAtNanos} (on the budget's clock), an
     * {@link IngestOverloadedException} with a retry hint. A refused call holds nothing.
     */
    public CompletableFuture<Lease> acquire(int eventCount, long byteCount, long arrivedAtNanos) {
        Waiter waiter;
        long waitNanos;
        synchronized (this) {
            if (waiters.isEmpty() && fitsNow(eventCount, byteCount)) {
                return CompletableFuture.completedFuture(take(eventCount, byteCount));
            }
            waitNanos = arrivedAtNanos + maxWaitNanos - nanoClock.getAsLong();
            if (waitNanos <= 0 || timer == null || !canEverFit(eventCount, byteCount)) {
                return CompletableFuture.failedFuture(refusal());
            }
            waiter = new Waiter(eventCount, byteCount);
            waiters.add(waiter);
        }
        try {
            timer.after(waitNanos, () -> expire(waiter));
        } catch (RejectedExecutionException shuttingDown) {
            expire(waiter);
        }
        return waiter.lease;
    }

    /** True when a call of this size would fit now; otherwise registers {@code whenReleased} for the next release. */
    public synchronized boolean hasRoomOrWait(int eventCount, long byteCount, Runnable whenReleased) {
        if (waiters.isEmpty() && fitsNow(eventCount, byteCount)) {
            return true;
        }
        roomWatchers.add(whenReleased);
        return false;
    }

    /**
     * How long a refused caller should wait before trying again: the time the store needs to make
     * what is in flight durable at its current rate (the wait itself when the rate is unknown),
     * between {@link #MIN_RETRY_HINT} and {@link #MAX_RETRY_HINT}.
     */
    public synchronized Duration retryHint() {
        long nanos = drainRate > 0 ? (long) (events / drainRate * 1e9) : Math.max(maxWaitNanos, TimeUnit.SECONDS.toNanos(1));
        return Duration.ofNanos(Math.max(MIN_RETRY_HINT.toNanos(), Math.min(MAX_RETRY_HINT.toNanos(), nanos)));
    }

    public synchronized long eventsInFlight() {
        return events;
    }

    public synchronized long bytesInFlight() {
        return bytes;
    }

    /** Events made durable per second while the store had work, 0 until measured. */
    public synchronized double drainRate() {
        return drainRate;
    }

    /** The events that may be in flight now: {@code maxEvents}, or less once the drain rate says so. */
    public synchronized long admittedEvents() {
        if (drainRate <= 0 || maxWaitNanos == 0) {
            return maxEvents;
        }
        long byTime = (long) (drainRate * maxWaitNanos / 1e9);
        return Math.min(maxEvents, Math.max(maxEvents / 20, byTime));
    }

    public long maxEvents() {
        return maxEvents;
    }

    public long maxBytes() {
        return maxBytes;
    }

    public Duration maxAdmissionWait() {
        return Duration.ofNanos(maxWaitNanos);
    }

    private IngestOverloadedException refusal() {
        return new IngestOverloadedException("no room in the ingest buffer within " + maxAdmissionWait().toMillis() + " ms ("
                + events + " events / " + bytes + " bytes waiting for the store, room for " + admittedEvents() + " events / "
                + maxBytes + " bytes): nothing of this call was stored; retry with the same event ids", retryHint());
    }

    private boolean fitsNow(int eventCount, long byteCount) {
        if (events == 0 && bytes == 0) {
            return canEverFit(eventCount, byteCount);
        }
        return events + eventCount <= admittedEvents() && bytes + byteCount <= maxBytes;
    }

    private Lease take(int eventCount, long byteCount) {
        if (events == 0 && bytes == 0) {
            busySince = nanoClock.getAsLong();
        }
        events += eventCount;
        bytes += byteCount;
        return new Lease(eventCount, byteCount);
    }

    private void expire(Waiter waiter) {
        IngestOverloadedException refused;
        synchronized (this) {
            if (!waiters.remove(waiter)) {
                return; // admitted first
            }
            refused = refusal();
        }
        complete(() -> waiter.lease.completeExceptionally(refused), null);
    }

    private void release(int eventCount, long byteCount) {
        List<Waiter> admitted = new ArrayList<>();
        List<Lease> leases = new ArrayList<>();
        List<Runnable> watchers;
        synchronized (this) {
            events -= eventCount;
            bytes -= byteCount;
            measureDrain(eventCount);
            while (!waiters.isEmpty() && fitsNow(waiters.peek().events, waiters.peek().bytes)) {
                Waiter next = waiters.poll();
                admitted.add(next);
                leases.add(take(next.events, next.bytes));
            }
            watchers = roomWatchers;
            roomWatchers = watchers.isEmpty() ? watchers : new ArrayList<>();
        }
        for (int i = 0; i < admitted.size(); i++) {
            Waiter waiter = admitted.get(i);
            Lease lease = leases.get(i);
            complete(() -> {
                if (!waiter.lease.complete(lease)) {
                    lease.close(); // the caller went away meanwhile
                }
            }, lease);
        }
        for (Runnable watcher : watchers) {
            complete(watcher, null);
        }
    }

    private void complete(Runnable completion, Lease onRejection) {
        try {
            waiterExecutor.execute(completion);
        } catch (RejectedExecutionException shuttingDown) {
            // the service is stopping; its calls are being cancelled anyway
            if (onRejection != null) {
                onRejection.close();
            }
        }
    }

    /** Called under the lock at each release: the rate counts only time in which the store had work. */
    private void measureDrain(int released) {
        long now = nanoClock.getAsLong();
        windowReleased += released;
        if (events == 0 && bytes == 0 && busySince >= 0) {
            windowBusyNanos += now - busySince;
            busySince = -1;
        }
        if (now - windowStart < RATE_WINDOW_NANOS) {
            return;
        }
        long busy = windowBusyNanos;
        if (busySince >= 0) {
            busy += now - busySince;
            busySince = now;
        }
        // a window in which the store was busy for less than a tenth says little about its capacity
        if (busy >= RATE_WINDOW_NANOS / 10) {
            drainRate = windowReleased * 1e9 / busy;
        }
        windowStart = now;
        windowReleased = 0;
        windowBusyNanos = 0;
    }

    /** Runs a task after a delay: a scheduled executor's thread, or the test's hand. */
    @FunctionalInterface
    public interface Timer {
        void after(long nanos, Runnable task);

        static Timer of(ScheduledExecutorService scheduler) {
            return (nanos, task) -> scheduler.schedule(task, nanos, TimeUnit.NANOSECONDS);
        }
    }

    private static final class Waiter {
        final int events;
        final long bytes;
        final CompletableFuture<Lease> lease = new CompletableFuture<>();

        Waiter(int events, long bytes) {
            this.events = events;
            this.bytes = bytes;
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
