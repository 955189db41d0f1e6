package pql.eventstore.kurrentdb;

import java.time.Duration;

/**
 * Settings of the KurrentDB engine. A record Jackson binds directly, so a service can keep it in
 * its YAML; every setting but the connection string has a default (a missing one binds as
 * null / 0 and takes it):
 *
 * <pre>
 * kurrentdb:
 *   connectionString: kurrentdb://kurrentdb:2113?tls=false
 *   operationTimeout: PT10S      # ISO-8601 (Dropwizard's object mapper also takes seconds: 10)
 *   readPageSize: 512
 * </pre>
 *
 * <p>How the client finds and re-finds the server (discovery attempts and interval, gossip and
 * keep-alive timeouts, TLS, credentials) is set in the connection string, as every KurrentDB
 * client does, e.g. {@code kurrentdb://host:2113?tls=false&maxDiscoverAttempts=3&discoveryInterval=500}.
 *
 * @param connectionString a KurrentDB connection string ({@code kurrentdb://}, {@code esdb://} or
 *     their {@code +discover} forms)
 * @param operationTimeout longest wait for one call to the server (an append, a read page, a
 *     subscription's confirmation) before the store reports itself unavailable
 * @param readPageSize events asked for per read of a stream or of $all
 * @param cursorBufferSize events a log cursor's subscription may buffer ahead of its consumer;
 *     when full the subscription is paused (gRPC flow control), never grown
 * @param streamCacheSize streams whose version and event ids the store keeps in memory for the
 *     idempotency check of appends (least recently used are forgotten and read again)
 * @param appendThreads appends running against the server at once
 * @param maxPendingEvents events of appends accepted but not finished before more are refused
 *     with {@link pql.eventstore.EventStoreOverloadedException}
 */
public record KurrentDbStoreOptions(String connectionString, Duration operationTimeout, int readPageSize,
        int cursorBufferSize, int streamCacheSize, int appendThreads, int maxPendingEvents) {

    public static final Duration DEFAULT_OPERATION_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_READ_PAGE_SIZE = 512;
    public static final int DEFAULT_CURSOR_BUFFER_SIZE = 4096;
    public static final int DEFAULT_STREAM_CACHE_SIZE = 10_000;
    public static final int DEFAULT_APPEND_THREADS = 8;
    public static final int DEFAULT_MAX_PENDING_EVENTS = 100_000;

    public KurrentDbStoreOptions {
        if (connectionString == null || connectionString.isBlank()) {
            throw new IllegalArgumentException("a KurrentDB connection string is required, e.g. kurrentdb://localhost:2113?tls=false");
        }
        operationTimeout = operationTimeout == null ? DEFAULT_OPERATION_TIMEOUT : operationTimeout;
        readPageSize = orDefault(readPageSize, DEFAULT_READ_PAGE_SIZE);
        cursorBufferSize = orDefault(cursorBufferSize, DEFAULT_CURSOR_BUFFER_SIZE);
        streamCacheSize = orDefault(streamCacheSize, DEFAULT_STREAM_CACHE_SIZE);
        appendThreads = orDefault(appendThreads, DEFAULT_APPEND_THREADS);
        maxPendingEvents = orDefault(maxPendingEvents, DEFAULT_MAX_PENDING_EVENTS);
        if (operationTimeout.toMillis() < 100) {
            throw new IllegalArgumentException("operationTimeout must be at least 100 ms: " + operationTimeout);
        }
        if (readPageSize < 1 || cursorBufferSize < 1 || streamCacheSize < 1 || appendThreads < 1 || maxPendingEvents < 1) {
            throw new IllegalArgumentException("sizes and counts must be positive");
        }
    }

    /** Defaults for everything but the connection string. */
    public static KurrentDbStoreOptions of(String connectionString) {
        return new KurrentDbStoreOptions(connectionString, null, 0, 0, 0, 0, 0);
    }

    public KurrentDbStoreOptions withOperationTimeout(Duration timeout) {
        return new KurrentDbStoreOptions(connectionString, timeout, readPageSize, cursorBufferSize, streamCacheSize,
                appendThreads, maxPendingEvents);
    }

    public KurrentDbStoreOptions withReadPageSize(int pageSize) {
        return new KurrentDbStoreOptions(connectionString, operationTimeout, pageSize, cursorBufferSize, streamCacheSize,
                appendThreads, maxPendingEvents);
    }

    public KurrentDbStoreOptions withCursorBufferSize(int bufferSize) {
        return new KurrentDbStoreOptions(connectionString, operationTimeout, readPageSize, bufferSize, streamCacheSize,
                appendThreads, maxPendingEvents);
    }

    public KurrentDbStoreOptions withStreamCacheSize(int cacheSize) {
        return new KurrentDbStoreOptions(connectionString, operationTimeout, readPageSize, cursorBufferSize, cacheSize,
                appendThreads, maxPendingEvents);
    }

    public KurrentDbStoreOptions withMaxPendingEvents(int pendingEvents) {
        return new KurrentDbStoreOptions(connectionString, operationTimeout, readPageSize, cursorBufferSize, streamCacheSize,
                appendThreads, pendingEvents);
    }

    private static int orDefault(int value, int fallback) {
        return value == 0 ? fallback : value;
    }

    /** The connection string may hold a password: never print it. */
    @Override
    public String toString() {
        return "KurrentDbStoreOptions[connectionString=" + redacted(connectionString) + ", operationTimeout="
                + operationTimeout + ", readPageSize=" + readPageSize + ", cursorBufferSize=" + cursorBufferSize
                + ", streamCacheSize=" + streamCacheSize + ", appendThreads=" + appendThreads
                + ", maxPendingEvents=" + maxPendingEvents + "]";
    }

    static String redacted(String connectionString) {
        return connectionString.replaceAll("//[^@/]*@", "//***@");
    }
}
