package pql.processing;

import com.google.protobuf.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import pql.eventstore.EventStore;
import pql.eventstore.EventStoreUnavailableException;
import pql.eventstore.LogRecord;

/**
 * One open stream of {@link ChunkedEventLogSource}. Used by one thread (the processor's coordinator),
 * apart from the reader threads that fill slices and the watcher.
 *
 * <p>Slices: during catch-up the log up to a sampled head is cut into position ranges of about one chunk
 * each; reader threads read them ({@link EventStore#readAllRecords}) in parallel, and the stream takes the
 * results in order. A range at or below the head is complete once read (the store never fills a gap
 * later), so no event is missed or repeated however the ranges fall. Positions need not be dense: the
 * range width follows the positions per event seen so far.
 */
final class ChunkStream implements BlockingStream<TrackedEventMessage<?>> {

    /** Events per slice read ahead: enough to make each read worth its seek. */
    private static final int SLICE_EVENTS = 2048;
    /** Behind the head by at least this many slices: read ahead in parallel. */
    private static final int CATCH_UP_SLICES = 4;
    private static final long SLICE_TIMEOUT_SECONDS = 120;
    /** Slices in flight per reader thread. */
    private static final int SLICES_PER_READER = 3;

    private final EventStore store;
    private final ChunkFlow flow;
    private final int maxChunk;
    private final int sliceEvents;
    private final int readers;
    private final String name;
    private final ArrayDeque<Future<Slice>> slices = new ArrayDeque<>();
    private final ArrayDeque<TrackedEventMessage<?>> ready = new ArrayDeque<>();
    /** The last position handed to the processor. */
    private long handedOut;
    /** Everything up to here is read or being read. */
    private long requested;
    /** Catch-up goes up to here (a head sampled earlier). */
    private long catchUpTo;
    /** Whether the last look at the log suggests more than one chunk is waiting. */
    private boolean maybeBehind = true;
    private double positionsPerEvent = 1;
    private ExecutorService pool;
    private LogWatcher watcher;
    private volatile boolean closed;

    ChunkStream(EventStore store, long after, int maxChunk, int readers, String name, ChunkFlow flow) {
        this.store = store;
        this.flow = flow;
        this.handedOut = after;
        this.requested = after;
        this.catchUpTo = after;
        this.maxChunk = maxChunk;
        this.sliceEvents = Math.max(maxChunk, SLICE_EVENTS);
        this.readers = readers;
        this.name = name;
    }

    @Override
    public Optional<TrackedEventMessage<?>> peek() {
        if (ready.isEmpty()) {
            fill();
        }
        return Optional.ofNullable(ready.peekFirst());
    }

    @Override
    public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (ready.isEmpty()) {
            ensureOpen();
            if (fill()) {
                continue;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                if (watcher != null) {
                    watcher.arm(requested);
                }
                return false;
            }
            store.awaitAfter(requested, Duration.ofNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(500))));
        }
        if (watcher != null) {
            watcher.disarm();
        }
        if (flow != null) {
            flow.awaitRoom(handedOut, positionsPerEvent);
        }
        return true;
    }

    @Override
    public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
        while (!hasNextAvailable(1, TimeUnit.SECONDS)) {
            ensureOpen();
        }
        TrackedEventMessage<?> next = ready.pollFirst();
        handedOut = ((LogChunk) next.getPayload()).lastPosition();
        return next;
    }

    /**
     * Tries to make chunks ready: the next slice read ahead, or a read of what follows now. True when it
     * made progress.
     */
    private boolean fill() {
        if (slices.isEmpty() && maybeBehind && readers > 0) {
            startCatchUp();
        }
        if (!slices.isEmpty()) {
            Future<Slice> next = slices.peekFirst();
            Slice slice;
            try {
                // a slice below the head is certain to come (or fail): wait for it whatever the timeout, so
                // the processor never takes a pending slice for "nothing available"
                slice = next.get(SLICE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("interrupted while reading the log", e);
            } catch (TimeoutException e) {
                close();
                throw new EventStoreUnavailableException("reading the log took over " + SLICE_TIMEOUT_SECONDS + " s", e);
            } catch (ExecutionException e) {
                // the stream skipped past this slice: it cannot go on; Axon reopens one from its tokens
                close();
                if (e.getCause() instanceof RuntimeException failure) {
                    throw failure;
                }
                throw new EventStoreUnavailableException("cannot read the log: " + e.getCause(), e.getCause());
            }
            slices.pollFirst();
            learnDensity(slice.events());
            addChunks(slice.events(), slice.streamHashes());
            topUpSlices();
            return true;
        }
        List<LogRecord> page = store.readAllRecords(requested, maxChunk);
        maybeBehind = page.size() == maxChunk;
        if (page.isEmpty()) {
            return false;
        }
        requested = page.get(page.size() - 1).globalPosition();
        catchUpTo = Math.max(catchUpTo, requested);
        learnDensity(page);
        addChunks(page, LogChunk.hashesOf(page));
        return true;
    }

    private void startCatchUp() {
        long head = store.headPosition();
        if (head - requested < CATCH_UP_SLICES * sliceWidth()) {
            maybeBehind = false;
            return;
        }
        catchUpTo = head;
        topUpSlices();
    }

    private void topUpSlices() {
        if (readers == 0) {
            return;
        }
        while (slices.size() < readers * SLICES_PER_READER && requested < catchUpTo) {
            long start = requested;
            long end = Math.min(catchUpTo, start + sliceWidth());
            slices.addLast(pool().submit(() -> readSlice(start, end)));
            requested = end;
        }
        if (slices.isEmpty()) {
            // caught up with the sampled head: look again (maybe still far behind) on the next fill
            maybeBehind = true;
        }
    }

    private long sliceWidth() {
        return Math.max(1, Math.round(sliceEvents * positionsPerEvent));
    }

    /** Events read ahead, with the hashes every segment will test. */
    private record Slice(List<LogRecord> events, int[] streamHashes) {
    }

    /**
     * Every event with a position in (start, end]; end is at or below the head, so the range is complete.
     * The stream hashes every segment tests are computed here, while each record is fresh in this
     * thread's cache.
     */
    private Slice readSlice(long start, long end) {
        List<LogRecord> events = new ArrayList<>(sliceEvents);
        long after = start;
        read:
        while (after < end) {
            List<LogRecord> page = store.readAllRecords(after, sliceEvents);
            for (LogRecord event : page) {
                if (event.globalPosition() > end) {
                    break read;
                }
                events.add(event);
            }
            if (page.size() < sliceEvents) {
                break;
            }
            after = page.get(page.size() - 1).globalPosition();
        }
        return new Slice(events, LogChunk.hashesOf(events));
    }

    private void learnDensity(List<LogRecord> events) {
        if (events.size() > 1) {
            long span = events.get(events.size() - 1).globalPosition() - events.get(0).globalPosition();
            positionsPerEvent = Math.max(1.0, (double) span / (events.size() - 1));
        }
    }

    private void addChunks(List<LogRecord> events, int[] streamHashes) {
        for (int from = 0; from < events.size(); from += maxChunk) {
            int to = Math.min(events.size(), from + maxChunk);
            ready.addLast(message(new LogChunk(events.subList(from, to), Arrays.copyOfRange(streamHashes, from, to))));
        }
    }

    private static TrackedEventMessage<LogChunk> message(LogChunk chunk) {
        // one envelope parsed per chunk, for the message's timestamp
        Timestamp occurred = chunk.events().get(0).envelope().getOccurredAt();
        return new GenericTrackedEventMessage<>(EventLogMessageSource.tokenAt(chunk.lastPosition()),
                new GenericEventMessage<>("chunk-" + chunk.firstPosition() + "-" + chunk.lastPosition(), chunk,
                        Map.of(), Instant.ofEpochSecond(occurred.getSeconds(), occurred.getNanos())));
    }

    private ExecutorService pool() {
        if (pool == null) {
            pool = Executors.newFixedThreadPool(readers, BackgroundThreads.numbered(name + "-log-reader"));
        }
        return pool;
    }

    @Override
    public boolean setOnAvailableCallback(Runnable callback) {
        if (watcher != null) {
            watcher.close();
        }
        watcher = new LogWatcher(store, callback, name + "-log-watcher");
        return true;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("stream closed");
        }
    }

    private void cancelSlices() {
        slices.forEach(slice -> slice.cancel(true));
        slices.clear();
    }

    @Override
    public void close() {
        closed = true;
        cancelSlices();
        ready.clear();
        if (pool != null) {
            pool.shutdownNow();
        }
        if (watcher != null) {
            watcher.close();
        }
    }
}
