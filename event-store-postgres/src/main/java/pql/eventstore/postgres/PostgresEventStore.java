package pql.eventstore.postgres;

import com.google.protobuf.InvalidProtocolBufferException;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import pql.eventstore.AppendRequest;
import pql.eventstore.AppendResult;
import pql.eventstore.EventStore;
import pql.eventstore.EventStoreOverloadedException;
import pql.eventstore.EventStoreUnavailableException;
import pql.eventstore.StoredEvent;
import pql.eventstore.StreamVersions;
import pql.v1.EventEnvelope;

/**
 * The event store on PostgreSQL: one table for the log, read with plain indexed queries.
 *
 * <p>Writes: appends wait in a bounded queue; one writer thread takes every append waiting when
 * it comes around and commits them in one transaction (group commit: one COMMIT, one WAL flush,
 * for the lot), see {@link GroupCommit}. Futures complete once COMMIT has returned with
 * synchronous commit on, i.e. once the events are durable. Several processes may write to the
 * same schema: the log lock serialises them.
 *
 * <p>Live reads: each commit NOTIFYs the new head; a listening connection wakes waiting readers,
 * and readers fall back to polling the head while it is down.
 */
public final class PostgresEventStore implements EventStore {

    /** Keeps one COPY (and its buffer) reasonable whatever the envelopes weigh; a larger single append goes alone. */
    private static final long MAX_GROUP_BYTES = 32L << 20;
    /** While notifications flow, a waiting reader still asks the database this often, in case one was lost. */
    private static final long SAFETY_POLL_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final PostgresStoreOptions options;
    private final HikariDataSource dataSource;
    private final EventStoreSchema schema;
    private final GroupCommit groupCommit;
    private final String readAllSql;
    private final String readStreamSql;
    private final String streamVersionSql;
    private final String headSql;

    private final LinkedBlockingQueue<PendingAppend> queue = new LinkedBlockingQueue<>();
    private final Semaphore queueRoom;
    private final Thread writerThread;
    private final HeadListener listener;
    private volatile boolean running = true;

    /** The highest committed position this instance knows of: its own commits, notifications, polls. */
    private final AtomicLong knownHead = new AtomicLong();
    private final ReentrantLock headLock = new ReentrantLock();
    private final Condition headMoved = headLock.newCondition();

    private PostgresEventStore(PostgresStoreOptions options, HikariDataSource dataSource) {
        this.options = options;
        this.dataSource = dataSource;
        this.schema = new EventStoreSchema(options.connection().schema());
        this.groupCommit = new GroupCommit(schema);
        String s = schema.name();
        readAllSql = "SELECT global_position, stream_id, stream_version, envelope FROM " + s + ".events"
                + " WHERE global_position > ? ORDER BY global_position LIMIT ?";
        readStreamSql = "SELECT global_position, stream_version, envelope FROM " + s + ".events"
                + " WHERE stream_id = ? AND stream_version >= ? ORDER BY stream_version LIMIT ?";
        streamVersionSql = "SELECT stream_version FROM " + s + ".events WHERE stream_id = ?"
                + " ORDER BY stream_version DESC LIMIT 1";
        headSql = "SELECT last_position FROM " + s + ".log_head WHERE id = 1";
        this.queueRoom = new Semaphore(options.maxQueuedEvents());
        try {
            try (Connection connection = dataSource.getConnection()) {
                schema.migrate(connection);
            }
            knownHead.set(headPosition());
        } catch (SQLException e) {
            dataSource.close();
            throw SqlFailures.translate("create its schema " + s, e);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        this.listener = new HeadListener(options.connection(), schema, this::advanceHead);
        this.writerThread = new Thread(this::writeLoop, "postgres-store-writer-" + s);
        writerThread.setDaemon(true);
        writerThread.start();
    }

    /**
     * Connects, creates or migrates the schema, and starts the writer.
     *
     * @throws EventStoreUnavailableException when the server cannot be reached
     */
    public static PostgresEventStore open(PostgresStoreOptions options) {
        HikariDataSource dataSource;
        try {
            dataSource = options.connection().createDataSource("pql-event-store");
        } catch (HikariPool.PoolInitializationException e) {
            throw new EventStoreUnavailableException("cannot connect to PostgreSQL at "
                    + options.connection().jdbcUrl() + ": " + e.getMessage(), e);
        }
        return new PostgresEventStore(options, dataSource);
    }

    /** {@link #open(PostgresStoreOptions)} with the default queue and polling settings. */
    public static PostgresEventStore open(PostgresConnectionOptions connection) {
        return open(PostgresStoreOptions.defaults(connection));
    }

    /**
     * The store's connection pool, for components that keep their own tables in the same
     * database (e.g. the Axon token store). They must not close it: {@link #close()} does.
     */
    public DataSource dataSource() {
        return dataSource;
    }

    /** The schema holding the store's tables. */
    public String schemaName() {
        return schema.name();
    }

    @Override
    public String engineName() {
        return "postgresql";
    }

    // ---------------------------------------------------------------- writes

    @Override
    public CompletableFuture<List<AppendResult>> appendAsync(List<AppendRequest> requests) {
        if (requests.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        if (!running) {
            return CompletableFuture.failedFuture(closed());
        }
        List<PreparedAppend> prepared = new ArrayList<>(requests.size());
        int events = 0;
        long bytes = 0;
        try {
            for (AppendRequest request : requests) {
                PreparedAppend append = PreparedAppend.of(request);
                prepared.add(append);
                events += request.events().size();
                bytes += append.encodedSize();
            }
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        int permits = Math.min(events, options.maxQueuedEvents());
        if (!queueRoom.tryAcquire(permits)) {
            return CompletableFuture.failedFuture(new EventStoreOverloadedException(
                    "the PostgreSQL store's write queue is full (" + options.maxQueuedEvents() + " events)"));
        }
        PendingAppend pending = new PendingAppend(prepared, permits, bytes, new CompletableFuture<>());
        queue.add(pending);
        if (!running && queue.remove(pending)) {
            queueRoom.release(permits);
            pending.result().completeExceptionally(closed());
        }
        return pending.result();
    }

    /** Commits groups of waiting appends until closed and the queue is drained. */
    private void writeLoop() {
        List<PendingAppend> group = new ArrayList<>();
        try {
            while (running || !queue.isEmpty()) {
                PendingAppend first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                int events = first.permits();
                long bytes = first.bytes();
                PendingAppend next;
                while (events < options.maxGroupEvents() && bytes < MAX_GROUP_BYTES && (next = queue.poll()) != null) {
                    group.add(next);
                    events += next.permits();
                    bytes += next.bytes();
                }
                boolean committed = commit(group);
                group.clear();
                if (!committed && !running) {
                    // closing with the server away: fail the rest now rather than wait for each in turn
                    failQueued(closed());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(group, closed());
            failQueued(closed());
        }
    }

    private boolean commit(List<PendingAppend> group) {
        List<PreparedAppend> appends = new ArrayList<>();
        for (PendingAppend pending : group) {
            appends.addAll(pending.appends());
        }
        GroupCommit.Outcome outcome;
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            outcome = groupCommit.run(connection, appends);
        } catch (SQLException e) {
            if (connection != null && SqlFailures.lostTheConnection(e)) {
                // the COPY runs on the unwrapped driver connection, out of the pool's sight: tell it
                dataSource.evictConnection(connection);
                connection = null;
            }
            fail(group, SqlFailures.translate("append", e));
            return false;
        } catch (RuntimeException e) {
            fail(group, new EventStoreUnavailableException("the PostgreSQL store could not append: " + e.getMessage(), e));
            return false;
        } finally {
            // outside the try: once COMMIT has returned, a failure to hand the connection back changes nothing
            closeQuietly(connection);
        }
        if (outcome.appendedEvents() > 0) {
            advanceHead(outcome.lastPosition());
        }
        int from = 0;
        for (PendingAppend pending : group) {
            int to = from + pending.appends().size();
            queueRoom.release(pending.permits());
            pending.result().complete(List.copyOf(outcome.results().subList(from, to)));
            from = to;
        }
        return true;
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the pool evicts a broken connection by itself
        }
    }

    private void fail(List<PendingAppend> group, RuntimeException failure) {
        for (PendingAppend pending : group) {
            queueRoom.release(pending.permits());
            pending.result().completeExceptionally(failure);
        }
    }

    private void failQueued(RuntimeException failure) {
        List<PendingAppend> rest = new ArrayList<>();
        queue.drainTo(rest);
        fail(rest, failure);
    }

    private record PendingAppend(List<PreparedAppend> appends, int permits, long bytes,
            CompletableFuture<List<AppendResult>> result) {
    }

    // ---------------------------------------------------------------- reads

    @Override
    public List<StoredEvent> readStream(String streamId, long fromVersion, int maxCount) {
        requirePositiveCount(maxCount);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(readStreamSql)) {
            query.setString(1, streamId);
            query.setLong(2, Math.max(0, fromVersion));
            query.setInt(3, maxCount);
            List<StoredEvent> events = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    long position = rows.getLong(1);
                    events.add(new StoredEvent(streamId, rows.getLong(2), position, envelope(position, rows.getBytes(3))));
                }
            }
            return events;
        } catch (SQLException e) {
            throw SqlFailures.translate("read stream " + streamId, e);
        }
    }

    @Override
    public long streamVersion(String streamId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(streamVersionSql)) {
            query.setString(1, streamId);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getLong(1) : StreamVersions.NONE;
            }
        } catch (SQLException e) {
            throw SqlFailures.translate("read the version of " + streamId, e);
        }
    }

    @Override
    public List<StoredEvent> readAll(long afterPosition, int maxCount) {
        requirePositiveCount(maxCount);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(readAllSql)) {
            query.setLong(1, afterPosition);
            query.setInt(2, maxCount);
            List<StoredEvent> events = new ArrayList<>(Math.min(maxCount, 1024));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    long position = rows.getLong(1);
                    events.add(new StoredEvent(rows.getString(2), rows.getLong(3), position,
                            envelope(position, rows.getBytes(4))));
                }
            }
            return events;
        } catch (SQLException e) {
            throw SqlFailures.translate("read the log", e);
        }
    }

    /** One single-row primary-key read: the committed head, whoever committed it. */
    @Override
    public long headPosition() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(headSql);
                ResultSet row = query.executeQuery()) {
            long head = row.next() ? row.getLong(1) : StreamVersions.BEFORE_FIRST_POSITION;
            advanceHead(head);
            return head;
        } catch (SQLException e) {
            throw SqlFailures.translate("read the log head", e);
        }
    }

    @Override
    public boolean awaitAfter(long afterPosition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        // with the listener up, this process's commits and everyone's notifications move knownHead;
        // without it, only asking the database tells us about other processes' commits
        long nextPoll = listener.isListening() ? System.nanoTime() + SAFETY_POLL_NANOS : System.nanoTime();
        while (knownHead.get() <= afterPosition) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !running) {
                return false;
            }
            if (System.nanoTime() - nextPoll >= 0) {
                // with the server away this takes up to the connection timeout, maybe past our own
                pollHeadQuietly();
                nextPoll = System.nanoTime()
                        + (listener.isListening() ? SAFETY_POLL_NANOS : options.pollInterval().toNanos());
                continue;
            }
            waitForHead(afterPosition, Math.min(left, nextPoll - System.nanoTime()));
        }
        return true;
    }

    private void waitForHead(long afterPosition, long nanos) throws InterruptedException {
        headLock.lock();
        try {
            while (knownHead.get() <= afterPosition && nanos > 0 && running) {
                nanos = headMoved.awaitNanos(nanos);
            }
        } finally {
            headLock.unlock();
        }
    }

    private void pollHeadQuietly() {
        try {
            headPosition();
        } catch (EventStoreUnavailableException | EventStoreOverloadedException e) {
            // awaitAfter only waits; the reader's next read reports the failure
        }
    }

    private void advanceHead(long position) {
        if (knownHead.getAndAccumulate(position, Math::max) < position) {
            headLock.lock();
            try {
                headMoved.signalAll();
            } finally {
                headLock.unlock();
            }
        }
    }

    /** A pooled connection that answers a validity check within a second. */
    @Override
    public boolean isAvailable() {
        if (!running) {
            return false;
        }
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    private static EventEnvelope envelope(long position, byte[] bytes) {
        try {
            return EventEnvelope.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt event at position " + position, e);
        }
    }

    private static void requirePositiveCount(int maxCount) {
        if (maxCount < 1) {
            throw new IllegalArgumentException("maxCount must be >= 1");
        }
    }

    private static EventStoreUnavailableException closed() {
        return new EventStoreUnavailableException("the PostgreSQL store is closed");
    }

    /** Commits what is queued, stops listening and closes the pool. */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        headLock.lock();
        try {
            headMoved.signalAll();
        } finally {
            headLock.unlock();
        }
        try {
            writerThread.join(TimeUnit.SECONDS.toMillis(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        listener.close();
        dataSource.close();
    }
}
