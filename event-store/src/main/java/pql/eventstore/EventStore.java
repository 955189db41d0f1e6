package pql.eventstore;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The event store port: per-stream optimistic concurrency, idempotent appends by event id, a
 * global order readable from any position, catch-up then live. Every engine passes the same
 * contract test suite.
 *
 * <p>Thread-safe. Appends are acknowledged (their future completes) only once durable.
 */
public interface EventStore extends AutoCloseable {

    /** A short name of the engine for logs and health checks, e.g. "embedded-rocksdb". */
    String engineName();

    /**
     * Appends to several streams with one durable write where the engine can (group commit).
     * Each request is atomic on its own and gets its own result, in request order; a conflict
     * on one stream does not affect the others. Two requests for the same stream are applied
     * in order.
     *
     * <p>Fails with {@link EventStoreUnavailableException} when the store cannot be written.
     */
    CompletableFuture<List<AppendResult>> appendAsync(List<AppendRequest> requests);

    /** {@link #appendAsync} waiting for durability. */
    default List<AppendResult> append(List<AppendRequest> requests) {
        try {
            return appendAsync(requests).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    /**
     * Appends to one stream.
     *
     * @throws WrongExpectedVersionException when the expected version does not hold
     */
    default AppendResult append(String streamId, ExpectedVersion expectedVersion, List<pql.v1.EventEnvelope> events) {
        AppendResult result = append(List.of(new AppendRequest(streamId, expectedVersion, events))).get(0);
        if (result.conflict()) {
            throw new WrongExpectedVersionException(streamId, expectedVersion, result.streamVersion());
        }
        return result;
    }

    /**
     * Events of one stream with version >= {@code fromVersion}, oldest first, at most
     * {@code maxCount}. Empty for an unknown stream.
     */
    List<StoredEvent> readStream(String streamId, long fromVersion, int maxCount);

    /** The version of the stream's last event, {@link StreamVersions#NONE} if there is none. */
    long streamVersion(String streamId);

    /**
     * Events of the global log with position > {@code afterPosition}, in log order, at most
     * {@code maxCount}. Pass {@link StreamVersions#BEFORE_FIRST_POSITION} to start at the start.
     */
    List<StoredEvent> readAll(long afterPosition, int maxCount);

    /**
     * {@link #readAll} as {@link LogRecord}s: for replays that read a few fields of every envelope. Engines
     * that keep envelopes serialized hand the bytes over unparsed; the default wraps {@link #readAll}'s
     * events.
     */
    default List<LogRecord> readAllRecords(long afterPosition, int maxCount) {
        List<StoredEvent> events = readAll(afterPosition, maxCount);
        List<LogRecord> records = new java.util.ArrayList<>(events.size());
        for (StoredEvent event : events) {
            records.add(LogRecord.of(event));
        }
        return records;
    }

    /** Position of the newest event of the global log; {@code BEFORE_FIRST_POSITION} if empty. */
    long headPosition();

    /**
     * Waits until the log holds an event after {@code afterPosition}, or the timeout passes.
     *
     * @return true when such an event exists
     */
    boolean awaitAfter(long afterPosition, Duration timeout) throws InterruptedException;

    /**
     * A cursor over the global log from after {@code afterPosition}: the history first, then
     * live events as they are appended.
     */
    default LogCursor openAll(long afterPosition) {
        return new PollingLogCursor(this, afterPosition, 1024);
    }

    /** Cheap liveness probe for health checks; false when the store cannot be used now. */
    boolean isAvailable();

    @Override
    void close();
}
