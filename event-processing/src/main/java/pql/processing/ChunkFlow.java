package pql.processing;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Back-pressure between a chunked log stream and the segments applying its chunks. Axon buffers up to
 * a thousand messages per segment; with chunks of hundreds of events that is hundreds of thousands of
 * events held in memory, which outlive young collections and make every one of them expensive. So the
 * stream holds back while it is more than {@code maxEventsAhead} events ahead of the slowest segment.
 *
 * <p>Only throughput depends on this: a segment that stops reporting (released, aborted) counts as
 * gone after {@link #STALE_NANOS}, and the stream never waits longer than {@link #MAX_WAIT_NANOS} per
 * chunk, so nothing can stall on it.
 */
public final class ChunkFlow {

    private static final long STALE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final long maxEventsAhead;
    private final ConcurrentHashMap<Integer, Progress> segments = new ConcurrentHashMap<>();

    private record Progress(long position, long reportedAt) {
    }

    public ChunkFlow(long maxEventsAhead) {
        this.maxEventsAhead = maxEventsAhead;
    }

    /** A segment has applied the log up to {@code position}. */
    public void handled(int segmentId, long position) {
        long now = System.nanoTime();
        segments.merge(segmentId, new Progress(position, now),
                (old, fresh) -> new Progress(Math.max(old.position(), position), now));
        synchronized (this) {
            notifyAll();
        }
    }

    /**
     * Waits until the slowest segment is close enough to {@code handedOut} (positions, converted to
     * events with {@code positionsPerEvent}), or for a short while at most.
     */
    void awaitRoom(long handedOut, double positionsPerEvent) throws InterruptedException {
        long deadline = System.nanoTime() + MAX_WAIT_NANOS;
        synchronized (this) {
            while (true) {
                long slowest = slowestActive();
                if (slowest < 0 || (handedOut - slowest) / positionsPerEvent <= maxEventsAhead) {
                    return;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }

    private long slowestActive() {
        long now = System.nanoTime();
        long slowest = -1;
        for (Progress progress : segments.values()) {
            if (now - progress.reportedAt() <= STALE_NANOS && (slowest < 0 || progress.position() < slowest)) {
                slowest = progress.position();
            }
        }
        return slowest;
    }
}
