package pql.eventstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pql.eventstore.AppendRequest;
import pql.eventstore.AppendResult;
import pql.eventstore.EventStoreOverloadedException;
import pql.eventstore.EventStoreUnavailableException;
import pql.eventstore.ExpectedVersion;
import pql.eventstore.StoredEvent;
import pql.eventstore.StreamVersions;
import pql.eventstore.TestEvents;
import pql.v1.EventEnvelope;

/** What the PostgreSQL engine promises beyond the shared contract. */
class PostgresEventStoreTest {

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void startServer() {
        postgres = TestPostgres.shared();
    }

    private static PostgresStoreOptions freshOptions(String prefix) {
        return PostgresStoreOptions.defaults(TestPostgres.options(postgres, TestPostgres.freshSchema(prefix)));
    }

    private static List<EventEnvelope> events(String streamId, String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> TestEvents.action(prefix + i, streamId)).toList();
    }

    @Test
    void openingTheSameSchemaAgainKeepsItsTablesAndEvents() throws Exception {
        PostgresStoreOptions options = freshOptions("reopen");
        String stream = TestEvents.uniqueStream("reopen");
        try (PostgresEventStore store = PostgresEventStore.open(options)) {
            store.append(stream, ExpectedVersion.NO_STREAM, events(stream, "e", 3));
        }
        try (PostgresEventStore again = PostgresEventStore.open(options);
                PostgresEventStore alongside = PostgresEventStore.open(options)) {
            assertThat(again.streamVersion(stream)).isEqualTo(2);
            assertThat(alongside.readStream(stream, 0, 10)).hasSize(3);
        }
        try (Connection connection = TestPostgres.connect(postgres); Statement query = connection.createStatement();
                ResultSet rows = query.executeQuery("SELECT version FROM " + options.connection().schema()
                        + ".schema_version ORDER BY version")) {
            List<Integer> versions = new ArrayList<>();
            while (rows.next()) {
                versions.add(rows.getInt(1));
            }
            assertThat(versions).containsExactlyElementsOf(
                    IntStream.rangeClosed(1, EventStoreSchema.latestVersion()).boxed().toList());
        }
    }

    @Test
    void storesStartingTogetherOnANewSchemaCreateItOnce() throws Exception {
        PostgresStoreOptions options = freshOptions("race");
        ExecutorService executor = Executors.newFixedThreadPool(3);
        List<PostgresEventStore> stores = new ArrayList<>();
        try {
            List<Future<PostgresEventStore>> opening = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                opening.add(executor.submit(() -> PostgresEventStore.open(options)));
            }
            for (Future<PostgresEventStore> store : opening) {
                stores.add(store.get(60, TimeUnit.SECONDS));
            }
            String stream = TestEvents.uniqueStream("race");
            stores.get(0).append(stream, ExpectedVersion.ANY, events(stream, "e", 1));
            assertThat(stores.get(2).streamVersion(stream)).isZero();
        } finally {
            executor.shutdownNow();
            stores.forEach(PostgresEventStore::close);
        }
    }

    @Test
    void aSchemaNewerThanThisBuildIsRefused() throws Exception {
        PostgresStoreOptions options = freshOptions("newer");
        PostgresEventStore.open(options).close();
        try (Connection connection = TestPostgres.connect(postgres); Statement update = connection.createStatement()) {
            update.execute("INSERT INTO " + options.connection().schema()
                    + ".schema_version (version, description) VALUES (999, 'from the future')");
        }
        assertThatThrownBy(() -> PostgresEventStore.open(options))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("999");
    }

    /**
     * A trigger parks the writer's backend halfway through the rows of a large append; the
     * backend is then terminated, as a crash or a failover would. PostgreSQL must roll the whole
     * transaction back, and a retry of the same request must store it whole, once.
     */
    @Test
    void aBackendKilledMidAppendLeavesNothingHalfWritten() throws Exception {
        PostgresStoreOptions options = freshOptions("killed");
        String schema = options.connection().schema();
        String stream = TestEvents.uniqueStream("killed");
        int size = 5_000;
        AppendRequest large = new AppendRequest(stream, ExpectedVersion.NO_STREAM, events(stream, "big", size));
        long parkLock = 7_000_000L + ProcessHandle.current().pid();
        try (PostgresEventStore store = PostgresEventStore.open(options);
                Connection admin = TestPostgres.connect(postgres);
                Statement sql = admin.createStatement()) {
            long headBefore = store.headPosition();
            sql.execute("CREATE FUNCTION " + schema + ".park() RETURNS trigger LANGUAGE plpgsql AS $$"
                    + " BEGIN PERFORM pg_advisory_xact_lock(" + parkLock + "); RETURN NEW; END $$");
            sql.execute("CREATE TRIGGER park BEFORE INSERT ON " + schema + ".events FOR EACH ROW"
                    + " WHEN (NEW.stream_version = " + (size / 2) + ") EXECUTE FUNCTION " + schema + ".park()");
            sql.execute("SELECT pg_advisory_lock(" + parkLock + ")");

            CompletableFuture<List<AppendResult>> append = store.appendAsync(List.of(large));
            int writer = awaitParkedBackend(admin, schema);
            sql.execute("SELECT pg_terminate_backend(" + writer + ")");
            sql.execute("SELECT pg_advisory_unlock(" + parkLock + ")");
            sql.execute("DROP TRIGGER park ON " + schema + ".events");

            assertThatThrownBy(append::join).isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(EventStoreUnavailableException.class);
            assertThat(store.streamVersion(stream)).isEqualTo(StreamVersions.NONE);
            assertThat(store.readStream(stream, 0, 10)).isEmpty();
            assertThat(store.headPosition()).isEqualTo(headBefore);
            assertThat(rowsInTable(admin, schema)).isZero();

            AppendResult retry = store.append(List.of(large)).get(0);
            assertThat(retry.appendedCount()).isEqualTo(size);
            assertThat(store.readStream(stream, 0, 2 * size)).extracting(StoredEvent::streamVersion)
                    .containsExactlyElementsOf(IntStream.range(0, size).mapToObj(i -> (long) i).toList());
            // the rolled-back positions were handed out again: the log has no hole where they were
            assertThat(retry.events().get(0).globalPosition()).isEqualTo(headBefore + 1);
        }
    }

    /** The pid of the store's writer once it waits on the trigger's lock, mid-COPY. */
    private static int awaitParkedBackend(Connection admin, String schema) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (PreparedStatement query = admin.prepareStatement("SELECT pid FROM pg_stat_activity"
                + " WHERE wait_event_type = 'Lock' AND wait_event = 'advisory' AND query LIKE ?")) {
            query.setString(1, "COPY " + schema + ".events%");
            while (System.nanoTime() < deadline) {
                try (ResultSet rows = query.executeQuery()) {
                    if (rows.next()) {
                        return rows.getInt(1);
                    }
                }
                Thread.sleep(20);
            }
        }
        throw new AssertionError("the writer never reached the parked row");
    }

    /** Committed rows, as another session sees them. */
    private static long rowsInTable(Connection admin, String schema) throws SQLException {
        try (Statement query = admin.createStatement();
                ResultSet row = query.executeQuery("SELECT count(*) FROM " + schema + ".events")) {
            row.next();
            return row.getLong(1);
        }
    }

    @Test
    void aFullWriteQueueRefusesAppendsUntilTheWriterCatchesUp() throws Exception {
        PostgresStoreOptions options = freshOptions("full").withQueueLimits(100, 200);
        String stream = TestEvents.uniqueStream("full");
        try (PostgresEventStore store = PostgresEventStore.open(options);
                Connection blocker = TestPostgres.connect(postgres);
                Statement sql = blocker.createStatement()) {
            // another session holds the log lock: the writer cannot commit, the queue fills up
            blocker.setAutoCommit(false);
            sql.execute("SELECT last_position FROM " + options.connection().schema() + ".log_head FOR UPDATE");

            CompletableFuture<List<AppendResult>> first = store.appendAsync(List.of(
                    new AppendRequest(stream, ExpectedVersion.ANY, events(stream, "a", 150))));
            CompletableFuture<List<AppendResult>> second = store.appendAsync(List.of(
                    new AppendRequest(stream, ExpectedVersion.ANY, events(stream, "b", 50))));
            CompletableFuture<List<AppendResult>> refused = store.appendAsync(List.of(
                    new AppendRequest(stream, ExpectedVersion.ANY, events(stream, "c", 1))));

            assertThatThrownBy(refused::join).hasCauseInstanceOf(EventStoreOverloadedException.class);
            assertThat(first).isNotDone();
            blocker.rollback();

            assertThat(first.get(30, TimeUnit.SECONDS).get(0).appendedCount()).isEqualTo(150);
            assertThat(second.get(30, TimeUnit.SECONDS).get(0).appendedCount()).isEqualTo(50);
            assertThat(store.streamVersion(stream)).isEqualTo(199);
            assertThat(store.append(stream, ExpectedVersion.exactly(199), events(stream, "c", 1)).streamVersion())
                    .isEqualTo(200);
        }
    }

    @Test
    void readsRefuseWorkWhenEveryPooledConnectionIsBusy() throws Exception {
        PostgresConnectionOptions connection = TestPostgres.options(postgres, TestPostgres.freshSchema("busy"))
                .withPoolSize(2)
                .withConnectionTimeout(Duration.ofMillis(300));
        try (PostgresEventStore store = PostgresEventStore.open(connection)) {
            try (Connection one = store.dataSource().getConnection(); Connection two = store.dataSource().getConnection()) {
                assertThatThrownBy(() -> store.readAll(0, 10)).isInstanceOf(EventStoreOverloadedException.class);
                assertThat(store.isAvailable()).isFalse();
            }
            assertThat(store.readAll(0, 10)).isEmpty();
            assertThat(store.isAvailable()).isTrue();
        }
    }

    @Test
    void twoStoresOnOneSchemaShareOneLogWithoutGaps() throws Exception {
        PostgresStoreOptions options = freshOptions("shared");
        String shared = TestEvents.uniqueStream("shared");
        int writersPerStore = 2;
        int appends = 40;
        int expectedEvents = 2 * writersPerStore * appends * 3;
        try (PostgresEventStore one = PostgresEventStore.open(options);
                PostgresEventStore two = PostgresEventStore.open(options)) {
            long start = two.headPosition();
            ExecutorService executor = Executors.newFixedThreadPool(2 * writersPerStore + 1);
            try {
                // a reader tailing the log through the second store: positions must arrive with no
                // hole, since a hole that filled in later would mean a consumer skipped an event
                Future<List<StoredEvent>> tail = executor.submit(() -> {
                    List<StoredEvent> seen = new ArrayList<>();
                    long after = start;
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (seen.size() < expectedEvents && System.nanoTime() < deadline) {
                        List<StoredEvent> page = two.readAll(after, 50);
                        for (StoredEvent event : page) {
                            assertThat(event.globalPosition()).isEqualTo(after + 1);
                            after = event.globalPosition();
                            seen.add(event);
                        }
                        if (page.isEmpty()) {
                            two.awaitAfter(after, Duration.ofSeconds(1));
                        }
                    }
                    return seen;
                });
                List<Future<?>> writers = new ArrayList<>();
                for (PostgresEventStore store : List.of(one, two)) {
                    for (int w = 0; w < writersPerStore; w++) {
                        String own = TestEvents.uniqueStream("own");
                        String writer = store == one ? "one-" + w : "two-" + w;
                        writers.add(executor.submit(() -> {
                            for (int i = 0; i < appends; i++) {
                                store.append(List.of(
                                        new AppendRequest(shared, ExpectedVersion.ANY, events(shared, writer + "-" + i + "-", 1)),
                                        new AppendRequest(own, ExpectedVersion.ANY, events(own, i + "-", 2))));
                            }
                            return null;
                        }));
                    }
                }
                for (Future<?> writer : writers) {
                    writer.get(60, TimeUnit.SECONDS);
                }
                List<StoredEvent> seen = tail.get(60, TimeUnit.SECONDS);
                assertThat(seen).hasSize(expectedEvents);
            } finally {
                executor.shutdownNow();
            }
            List<StoredEvent> sharedEvents = one.readStream(shared, 0, 10_000);
            assertThat(sharedEvents).extracting(StoredEvent::streamVersion).containsExactlyElementsOf(
                    IntStream.range(0, 2 * writersPerStore * appends).mapToObj(i -> (long) i).toList());
            Set<String> ids = new HashSet<>();
            sharedEvents.forEach(e -> ids.add(e.envelope().getEventId()));
            assertThat(ids).hasSize(sharedEvents.size());
            assertThat(one.headPosition()).isEqualTo(two.headPosition()).isEqualTo(start + expectedEvents);
        }
    }

    @Test
    void anAppendThroughOneStoreWakesAReaderWaitingOnAnother() throws Exception {
        // polling so rare that only the notification can wake the reader within the wait
        PostgresStoreOptions options = freshOptions("notify").withPollInterval(Duration.ofMinutes(5));
        String stream = TestEvents.uniqueStream("notify");
        try (PostgresEventStore writer = PostgresEventStore.open(options);
                PostgresEventStore reader = PostgresEventStore.open(options)) {
            long head = reader.headPosition();
            ExecutorService executor = Executors.newSingleThreadExecutor();
            try {
                Future<Boolean> woken = executor.submit(() -> reader.awaitAfter(head, Duration.ofSeconds(4)));
                Thread.sleep(100);
                writer.append(stream, ExpectedVersion.ANY, events(stream, "e", 1));
                assertThat(woken.get(10, TimeUnit.SECONDS)).isTrue();
            } finally {
                executor.shutdownNow();
            }
            assertThat(reader.readAll(head, 10)).extracting(StoredEvent::streamId).containsExactly(stream);
        }
    }

    @Test
    void anIdRepeatedAcrossTheRequestsOfOneGroupIsStoredOnce() throws Exception {
        PostgresStoreOptions options = freshOptions("group");
        String stream = TestEvents.uniqueStream("group");
        try (PostgresEventStore store = PostgresEventStore.open(options);
                Connection blocker = TestPostgres.connect(postgres);
                Statement sql = blocker.createStatement()) {
            // hold the writer back so that the two racing retries below land in one group commit
            blocker.setAutoCommit(false);
            sql.execute("SELECT last_position FROM " + options.connection().schema() + ".log_head FOR UPDATE");
            CompletableFuture<List<AppendResult>> inFlight = store.appendAsync(List.of(
                    new AppendRequest(TestEvents.uniqueStream("other"), ExpectedVersion.ANY, events(stream, "o", 1))));
            CompletableFuture<List<AppendResult>> first = store.appendAsync(List.of(
                    new AppendRequest(stream, ExpectedVersion.NO_STREAM, events(stream, "x", 2))));
            CompletableFuture<List<AppendResult>> retry = store.appendAsync(List.of(
                    new AppendRequest(stream, ExpectedVersion.NO_STREAM, events(stream, "x", 2)),
                    new AppendRequest(stream, ExpectedVersion.exactly(1), events(stream, "y", 1))));
            blocker.rollback();

            inFlight.get(30, TimeUnit.SECONDS);
            AppendResult original = first.get(30, TimeUnit.SECONDS).get(0);
            List<AppendResult> retried = retry.get(30, TimeUnit.SECONDS);
            assertThat(original.appendedCount()).isEqualTo(2);
            assertThat(retried.get(0).conflict()).isFalse();
            assertThat(retried.get(0).events()).extracting(AppendResult.EventOutcome::duplicate).containsOnly(true);
            assertThat(retried.get(0).events()).extracting(AppendResult.EventOutcome::globalPosition)
                    .containsExactlyElementsOf(original.events().stream().map(AppendResult.EventOutcome::globalPosition).toList());
            assertThat(retried.get(1).streamVersion()).isEqualTo(2);
            assertThat(store.readStream(stream, 0, 10)).extracting(e -> e.envelope().getEventId())
                    .containsExactly("x0", "x1", "y0");
        }
    }

    @Test
    void anEventIdPostgresCannotStoreIsRefusedWithoutHarmingOthers() throws Exception {
        PostgresStoreOptions options = freshOptions("nul");
        String stream = TestEvents.uniqueStream("nul");
        try (PostgresEventStore store = PostgresEventStore.open(options)) {
            CompletableFuture<List<AppendResult>> bad = store.appendAsync(List.of(new AppendRequest(stream,
                    ExpectedVersion.ANY, List.of(TestEvents.action("bad\0id", stream)))));
            CompletableFuture<List<AppendResult>> good = store.appendAsync(List.of(new AppendRequest(stream,
                    ExpectedVersion.ANY, events(stream, "good", 1))));

            assertThatThrownBy(bad::join).hasCauseInstanceOf(IllegalArgumentException.class);
            assertThat(good.get(30, TimeUnit.SECONDS).get(0).streamVersion()).isZero();
            assertThat(store.readStream(stream, 0, 10)).extracting(e -> e.envelope().getEventId()).containsExactly("good0");
        }
    }

    @Test
    void theDataSourceIsSharedAndClosedWithTheStore() throws Exception {
        PostgresStoreOptions options = freshOptions("pool");
        PostgresEventStore store = PostgresEventStore.open(options);
        try (Connection connection = store.dataSource().getConnection(); Statement sql = connection.createStatement();
                ResultSet row = sql.executeQuery("SELECT count(*) FROM " + store.schemaName() + ".events")) {
            row.next();
            assertThat(row.getLong(1)).isZero();
        }
        store.close();
        assertThat(store.isAvailable()).isFalse();
        assertThatThrownBy(() -> store.dataSource().getConnection()).isInstanceOf(SQLException.class);
        String stream = TestEvents.uniqueStream("closed");
        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.ANY, events(stream, "e", 1)))
                .isInstanceOf(EventStoreUnavailableException.class);
    }
}
