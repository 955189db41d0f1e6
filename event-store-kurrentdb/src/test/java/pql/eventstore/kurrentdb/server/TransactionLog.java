package pql.eventstore.kurrentdb.server;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-process server's storage: one ordered log of records addressed by byte offset, and the
 * streams indexing into it. It outlives the network server, so a "restarted" server has the
 * events of the one before, as a real node's disk would.
 *
 * <p>Append semantics are KurrentDB's (IndexWriter.CheckCommit): revisions from 0, the four kinds
 * of expected revision, and its idempotency rules: with an exact revision (or no stream) a write
 * whose events are already at the expected places succeeds without writing; with any / stream
 * exists only recently written event ids are recognised; a write that is partly there is a
 * wrong expected version.
 */
public final class TransactionLog {

    public static final long ANY = -2;
    public static final long NO_STREAM = -1;
    public static final long STREAM_EXISTS = -4;

    /** How many recent event ids the any / stream-exists idempotency check remembers. */
    private static final int RECENT_EVENT_IDS = 10_000;

    /** An event proposed by an append. */
    public record Proposed(UUID eventId, String eventType, boolean json, byte[] data, byte[] metadata) {
    }

    /** What an append did. */
    public sealed interface AppendOutcome {
        /** Written (or found written already): the stream's last revision and that event's position. */
        record Written(long lastRevision, long lastPosition, boolean idempotent) implements AppendOutcome {
        }

        /** The expected revision did not hold; {@code currentRevision} is -1 when the stream does not exist. */
        record WrongExpectedVersion(long currentRevision) implements AppendOutcome {
        }
    }

    /** A read of $all started at an offset that is not the start of a record. */
    public static final class InvalidPositionException extends RuntimeException {
        InvalidPositionException(long position) {
            super("no record starts at " + position);
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition appended = lock.newCondition();
    private final List<LogRecord> records = new ArrayList<>();
    private final Map<String, List<LogRecord>> streams = new HashMap<>();
    private final Map<UUID, LogRecord> recentEventIds = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, LogRecord> eldest) {
            return size() > RECENT_EVENT_IDS;
        }
    };
    private final Clock clock;
    private long end;

    public TransactionLog(Clock clock) {
        this.clock = clock;
    }

    public AppendOutcome append(String streamId, long expectedRevision, List<Proposed> events) {
        lock.lock();
        try {
            List<LogRecord> stream = streams.getOrDefault(streamId, List.of());
            long current = stream.isEmpty() ? NO_STREAM : stream.get(stream.size() - 1).revision();
            if (expectedRevision == STREAM_EXISTS && current == NO_STREAM) {
                return new AppendOutcome.WrongExpectedVersion(current);
            }
            if (expectedRevision == ANY || expectedRevision == STREAM_EXISTS) {
                AppendOutcome recent = recentlyWritten(streamId, events);
                if (recent != null) {
                    return recent;
                }
            } else if (expectedRevision < current) {
                return alreadyWritten(stream, expectedRevision, events, current);
            } else if (expectedRevision > current) {
                return new AppendOutcome.WrongExpectedVersion(current);
            }
            return write(streamId, current, events);
        } finally {
            lock.unlock();
        }
    }

    /** Weak idempotency: null when the first event is new (write them all), else the outcome. */
    private AppendOutcome recentlyWritten(String streamId, List<Proposed> events) {
        LogRecord last = null;
        for (int i = 0; i < events.size(); i++) {
            LogRecord known = recentEventIds.get(events.get(i).eventId());
            if (known != null && known.streamId().equals(streamId)) {
                last = known;
                continue;
            }
            if (i == 0) {
                return null;
            }
            // corrupted idempotency: part of the write is there
            return new AppendOutcome.WrongExpectedVersion(lastRevision(streamId));
        }
        return last == null ? null : new AppendOutcome.Written(last.revision(), last.position(), true);
    }

    /** Strong idempotency: the events must be exactly the ones after the expected revision. */
    private AppendOutcome alreadyWritten(List<LogRecord> stream, long expectedRevision, List<Proposed> events, long current) {
        if (events.isEmpty()) {
            return new AppendOutcome.WrongExpectedVersion(current);
        }
        LogRecord last = null;
        for (int i = 0; i < events.size(); i++) {
            long revision = expectedRevision + 1 + i;
            if (revision > current || !stream.get((int) revision).eventId().equals(events.get(i).eventId())) {
                return new AppendOutcome.WrongExpectedVersion(current);
            }
            last = stream.get((int) revision);
        }
        return new AppendOutcome.Written(last.revision(), last.position(), true);
    }

    private AppendOutcome write(String streamId, long current, List<Proposed> events) {
        if (events.isEmpty()) {
            return new AppendOutcome.Written(current, -1, false);
        }
        List<LogRecord> stream = streams.computeIfAbsent(streamId, s -> new ArrayList<>());
        long ticks = ticks(clock.instant());
        LogRecord last = null;
        for (Proposed event : events) {
            int size = LogRecord.sizeOf(streamId, event.eventType(), event.data(), event.metadata());
            last = new LogRecord(end, size, streamId, ++current, event.eventId(), event.eventType(), event.json(),
                    event.data(), event.metadata(), ticks);
            records.add(last);
            stream.add(last);
            recentEventIds.put(event.eventId(), last);
            end = last.nextPosition();
        }
        appended.signalAll();
        return new AppendOutcome.Written(last.revision(), last.position(), false);
    }

    /** The stream's last revision, -1 when it does not exist. */
    public long lastRevision(String streamId) {
        lock.lock();
        try {
            List<LogRecord> stream = streams.get(streamId);
            return stream == null ? NO_STREAM : stream.get(stream.size() - 1).revision();
        } finally {
            lock.unlock();
        }
    }

    /** Records of a stream from {@code fromRevision} upwards; null when the stream does not exist. */
    List<LogRecord> readStreamForwards(String streamId, long fromRevision, long maxCount) {
        lock.lock();
        try {
            List<LogRecord> stream = streams.get(streamId);
            if (stream == null) {
                return null;
            }
            List<LogRecord> page = new ArrayList<>();
            for (long revision = Math.max(0, fromRevision); revision < stream.size() && page.size() < maxCount; revision++) {
                page.add(stream.get((int) revision));
            }
            return page;
        } finally {
            lock.unlock();
        }
    }

    /** Records of a stream from {@code fromRevision} downwards (Long.MAX_VALUE: the end); null when missing. */
    List<LogRecord> readStreamBackwards(String streamId, long fromRevision, long maxCount) {
        lock.lock();
        try {
            List<LogRecord> stream = streams.get(streamId);
            if (stream == null) {
                return null;
            }
            List<LogRecord> page = new ArrayList<>();
            for (long revision = Math.min(fromRevision, stream.size() - 1); revision >= 0 && page.size() < maxCount; revision--) {
                page.add(stream.get((int) revision));
            }
            return page;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Records from {@code position} (inclusive) in log order.
     *
     * @throws InvalidPositionException when no record starts at {@code position} (before the end)
     */
    List<LogRecord> readAllForwards(long position, long maxCount) {
        lock.lock();
        try {
            int from = indexAt(position);
            List<LogRecord> page = new ArrayList<>();
            for (int i = from; i < records.size() && page.size() < maxCount; i++) {
                page.add(records.get(i));
            }
            return page;
        } finally {
            lock.unlock();
        }
    }

    /** Records before {@code position} (exclusive; Long.MAX_VALUE: the end), newest first. */
    List<LogRecord> readAllBackwards(long position, long maxCount) {
        lock.lock();
        try {
            int before = position >= end ? records.size() : indexAt(position);
            List<LogRecord> page = new ArrayList<>();
            for (int i = before - 1; i >= 0 && page.size() < maxCount; i--) {
                page.add(records.get(i));
            }
            return page;
        } finally {
            lock.unlock();
        }
    }

    /** Records after {@code position} (exclusive), waiting up to {@code waitMillis} for one to be appended. */
    List<LogRecord> readAfter(long position, int maxCount, long waitMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        lock.lock();
        try {
            while (true) {
                int from = firstIndexAfter(position);
                if (from < records.size()) {
                    return List.copyOf(records.subList(from, Math.min(records.size(), from + maxCount)));
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return List.of();
                }
                appended.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The writer checkpoint: where the next record will start. */
    public long end() {
        lock.lock();
        try {
            return end;
        } finally {
            lock.unlock();
        }
    }

    /** True when a record starts at {@code position}, or it is the end of the log or beyond. */
    boolean isReadablePosition(long position) {
        lock.lock();
        try {
            return position >= end || indexOf(position) >= 0;
        } finally {
            lock.unlock();
        }
    }

    private int indexAt(long position) {
        if (position >= end) {
            return records.size();
        }
        int index = indexOf(position);
        if (index < 0) {
            throw new InvalidPositionException(position);
        }
        return index;
    }

    private int indexOf(long position) {
        return Collections.binarySearch(records, new LogRecord(position, 0, "", 0, null, "", false, null, null, 0),
                (a, b) -> Long.compare(a.position(), b.position()));
    }

    private int firstIndexAfter(long position) {
        int index = indexOf(position);
        return index >= 0 ? index + 1 : -index - 1;
    }

    static long ticks(Instant instant) {
        return instant.getEpochSecond() * 10_000_000L + instant.getNano() / 100;
    }
}
