package pql.eventstore.kurrentdb;

import io.kurrent.dbclient.RecordedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import pql.eventstore.AppendRequest;
import pql.eventstore.AppendResult;
import pql.eventstore.EventStore;
import pql.eventstore.EventStoreOverloadedException;
import pql.eventstore.EventStoreUnavailableException;
import pql.eventstore.LogCursor;
import pql.eventstore.StoredEvent;
import pql.eventstore.StreamVersions;

/**
 * The event store on a KurrentDB (EventStoreDB) server or cluster, through the official Java
 * client: for deployments that outgrow one machine.
 *
 * <p>Streams are KurrentDB streams of the same name, stream versions are KurrentDB revisions and
 * global positions are $all commit positions (increasing, not dense). Every read skips events that
 * are not ours: system events ($-prefixed types and streams) and other applications' events (see
 * {@link EventMapping}). Idempotency by event id is the store's own (see {@link StreamAppender}):
 * KurrentDB only recognises recent retries.
 *
 * <p>Several requests of one call are appended one stream after another (each atomic, as the port
 * requires), different streams in parallel. A server that cannot be reached makes every call fail
 * with {@link EventStoreUnavailableException} within the operation timeout; the store replaces a
 * client that gave up on the server with a fresh one, so it recovers when the server is back.
 */
public final class KurrentDbEventStore implements EventStore {

    private final KurrentDbStoreOptions options;
    private final long timeoutMillis;
    private final ClientConnection connection;
    private final KurrentReads reads;
    private final GlobalLog log;
    private final StreamAppender appender;
    private final LogHeadWatcher headWatcher;
    private final ExecutorService appendExecutor;
    private final Semaphore pendingEvents;
    private volatile boolean closed;

    private KurrentDbEventStore(KurrentDbStoreOptions options) {
        this.options = options;
        this.timeoutMillis = options.operationTimeout().toMillis();
        this.connection = new ClientConnection(options.connectionString());
        this.reads = new KurrentReads(connection, timeoutMillis, true);
        this.log = new GlobalLog(reads, options.readPageSize());
        this.appender = new StreamAppender(connection, new KurrentReads(connection, timeoutMillis, false),
                new KnownStreams(options.streamCacheSize()), options.readPageSize(), timeoutMillis);
        this.headWatcher = new LogHeadWatcher(connection, timeoutMillis);
        this.appendExecutor = Executors.newFixedThreadPool(options.appendThreads(), daemonThreads("kurrentdb-append-"));
        this.pendingEvents = new Semaphore(options.maxPendingEvents());
    }

    /**
     * A store on the server of {@code options.connectionString()}. Nothing is sent before the first
     * call, so a store opens while the server is still down (calls then fail until it is up).
     */
    public static KurrentDbEventStore open(KurrentDbStoreOptions options) {
        return new KurrentDbEventStore(options);
    }

    @Override
    public String engineName() {
        return "kurrentdb";
    }

    @Override
    public CompletableFuture<List<AppendResult>> appendAsync(List<AppendRequest> requests) {
        if (requests.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        if (closed) {
            return CompletableFuture.failedFuture(new EventStoreUnavailableException("the KurrentDB event store is closed"));
        }
        int events = requests.stream().mapToInt(r -> r.events().size()).sum();
        int permits = Math.min(events, options.maxPendingEvents());
        if (!pendingEvents.tryAcquire(permits)) {
            return CompletableFuture.failedFuture(new EventStoreOverloadedException(
                    "more than " + options.maxPendingEvents() + " events are waiting to be appended to KurrentDB"));
        }
        // requests of one stream stay in order, on one thread; streams run side by side
        Map<String, List<Integer>> byStream = new LinkedHashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            byStream.computeIfAbsent(requests.get(i).streamId(), s -> new ArrayList<>()).add(i);
        }
        AppendResult[] results = new AppendResult[requests.size()];
        List<CompletableFuture<Void>> streams = new ArrayList<>(byStream.size());
        try {
            for (List<Integer> indexes : byStream.values()) {
                streams.add(CompletableFuture.runAsync(() -> {
                    for (int index : indexes) {
                        results[index] = appender.append(requests.get(index));
                    }
                }, appendExecutor));
            }
        } catch (RejectedExecutionException shuttingDown) {
            streams.add(CompletableFuture.failedFuture(new EventStoreUnavailableException("the KurrentDB event store is closed")));
        }
        return CompletableFuture.allOf(streams.toArray(CompletableFuture[]::new))
                .handle((done, failure) -> {
                    pendingEvents.release(permits);
                    if (failure != null) {
                        Throwable cause = KurrentFailures.unwrap(failure);
                        throw cause instanceof RuntimeException runtime ? runtime : new EventStoreUnavailableException(
                                "append failed: " + cause.getMessage(), cause);
                    }
                    return List.of(results);
                });
    }

    @Override
    public List<StoredEvent> readStream(String streamId, long fromVersion, int maxCount) {
        requirePositive(maxCount);
        List<StoredEvent> events = new ArrayList<>(Math.min(maxCount, options.readPageSize()));
        long from = Math.max(0, fromVersion);
        while (events.size() < maxCount) {
            int page = Math.min(options.readPageSize(), maxCount - events.size());
            List<RecordedEvent> records = reads.streamForwards(streamId, from, page);
            for (RecordedEvent record : records) {
                EventMapping.toStoredEvent(record).ifPresent(events::add);
            }
            if (records.size() < page) {
                break;
            }
            from = records.get(records.size() - 1).getRevision() + 1;
        }
        return events;
    }

    @Override
    public long streamVersion(String streamId) {
        RecordedEvent last = reads.lastOfStream(streamId);
        return last == null ? StreamVersions.NONE : last.getRevision();
    }

    @Override
    public List<StoredEvent> readAll(long afterPosition, int maxCount) {
        requirePositive(maxCount);
        return log.readAfter(afterPosition, maxCount);
    }

    @Override
    public long headPosition() {
        return log.head();
    }

    @Override
    public boolean awaitAfter(long afterPosition, Duration timeout) throws InterruptedException {
        return headWatcher.awaitAfter(afterPosition, timeout, after -> !log.readAfter(after, 1).isEmpty());
    }

    @Override
    public LogCursor openAll(long afterPosition) {
        return new SubscriptionLogCursor(connection, log, afterPosition, options.cursorBufferSize(), timeoutMillis);
    }

    /** Asks the server for the newest record of $all, waiting at most two seconds. */
    @Override
    public boolean isAvailable() {
        if (closed) {
            return false;
        }
        try {
            new KurrentReads(connection, Math.min(timeoutMillis, 2_000), false).allBackwards(null, 1);
            return true;
        } catch (RuntimeException unavailable) {
            return false;
        }
    }

    /** How many clients the store has created: one, plus one per recovery from a lost server. */
    int clientGenerations() {
        return connection.generation();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        appendExecutor.shutdown();
        try {
            if (!appendExecutor.awaitTermination(timeoutMillis + 2_000, TimeUnit.MILLISECONDS)) {
                appendExecutor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            appendExecutor.shutdownNow();
        }
        headWatcher.close();
        connection.close();
    }

    @Override
    public String toString() {
        return "KurrentDbEventStore[" + KurrentDbStoreOptions.redacted(options.connectionString()) + "]";
    }

    private static void requirePositive(int maxCount) {
        if (maxCount < 1) {
            throw new IllegalArgumentException("maxCount must be >= 1");
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
