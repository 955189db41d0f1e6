package pql.eventstore.postgres.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import pql.eventstore.AppendRequest;
import pql.eventstore.ExpectedVersion;
import pql.eventstore.StreamIds;
import pql.eventstore.TestEvents;
import pql.eventstore.postgres.PostgresConnectionOptions;
import pql.eventstore.postgres.PostgresEventStore;
import pql.eventstore.postgres.PostgresStoreOptions;
import pql.v1.EventEnvelope;

/**
 * Informal: durable appends per second through the PostgreSQL engine, against a plain JDBC
 * batch insert of the same events (no versions, no idempotency, no ordering lock) measured in the
 * same run on the same server, fsync on. Batches of 500 events over 50 accounts, several in
 * flight. The suite's real comparison of engines lives in bench/.
 *
 * <pre>
 * ./mvnw -q -B -pl event-store-postgres test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=pql.eventstore.postgres.bench.PostgresAppendBenchmark -Dexec.args="200000 4"
 * </pre>
 */
public final class PostgresAppendBenchmark {

    private static final int BATCH = 500;
    private static final int ACCOUNTS_PER_BATCH = 50;

    private PostgresAppendBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int inFlight = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        Path data = Files.createTempDirectory("pql-pg-bench");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .start()) {
            PostgresConnectionOptions connection = PostgresConnectionOptions.of(
                    postgres.getJdbcUrl("postgres", "postgres"), "postgres", "").withPoolSize(inFlight + 2);
            System.out.printf(Locale.ROOT, "%,d events per run, batches of %d over %d accounts, %d in flight, %d cores%n",
                    events, BATCH, ACCOUNTS_PER_BATCH, inFlight, Runtime.getRuntime().availableProcessors());
            for (int round = 0; round < 3; round++) {
                String label = round == 0 ? "warm-up" : "round " + round;
                int size = round == 0 ? events / 5 : events;
                double baseline = plainInsert(postgres.getPostgresDatabase(), batches("plain" + round, size), inFlight);
                double engine = engine(connection.withSchema("bench_" + round), batches("engine" + round, size), inFlight);
                System.out.printf(Locale.ROOT, "%-8s plain insert %,10.0f events/s   engine %,10.0f events/s   ratio %.2f%n",
                        label, baseline, engine, engine / baseline);
            }
        }
    }

    private static List<List<AppendRequest>> batches(String run, int events) {
        List<List<AppendRequest>> batches = new ArrayList<>();
        int perAccount = BATCH / ACCOUNTS_PER_BATCH;
        for (int b = 0; b < events / BATCH; b++) {
            List<AppendRequest> batch = new ArrayList<>(ACCOUNTS_PER_BATCH);
            for (int a = 0; a < ACCOUNTS_PER_BATCH; a++) {
                String stream = StreamIds.forAccount(run + "-" + ((b * ACCOUNTS_PER_BATCH + a) % 20_000));
                List<EventEnvelope> envelopes = new ArrayList<>(perAccount);
                for (int e = 0; e < perAccount; e++) {
                    envelopes.add(TestEvents.action(run + "-" + b + "-" + a + "-" + e, stream));
                }
                batch.add(new AppendRequest(stream, ExpectedVersion.ANY, envelopes));
            }
            batches.add(batch);
        }
        return batches;
    }

    private static double engine(PostgresConnectionOptions connection, List<List<AppendRequest>> batches, int inFlight)
            throws Exception {
        try (PostgresEventStore store = PostgresEventStore.open(PostgresStoreOptions.defaults(connection))) {
            return timed(batches, inFlight, batch -> store.append(batch));
        }
    }

    private static double plainInsert(DataSource dataSource, List<List<AppendRequest>> batches, int inFlight)
            throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement ddl = connection.createStatement()) {
            ddl.execute("DROP TABLE IF EXISTS plain_events");
            ddl.execute("CREATE TABLE plain_events (position bigserial PRIMARY KEY, stream_id text NOT NULL,"
                    + " event_id text NOT NULL, envelope bytea NOT NULL)");
        }
        ThreadLocal<Connection> connections = new ThreadLocal<>();
        List<Connection> opened = new ArrayList<>();
        try {
            return timed(batches, inFlight, batch -> {
                Connection connection = connections.get();
                if (connection == null) {
                    connection = dataSource.getConnection();
                    connection.setAutoCommit(false);
                    connections.set(connection);
                    synchronized (opened) {
                        opened.add(connection);
                    }
                }
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO plain_events (stream_id, event_id, envelope) VALUES (?, ?, ?)")) {
                    for (AppendRequest request : batch) {
                        for (EventEnvelope event : request.events()) {
                            insert.setString(1, request.streamId());
                            insert.setString(2, event.getEventId());
                            insert.setBytes(3, event.toByteArray());
                            insert.addBatch();
                        }
                    }
                    insert.executeBatch();
                }
                connection.commit();
            });
        } finally {
            for (Connection connection : opened) {
                connection.close();
            }
        }
    }

    private interface BatchWriter {
        void write(List<AppendRequest> batch) throws Exception;
    }

    /** Events per second with {@code inFlight} callers each writing its next batch once the last is durable. */
    private static double timed(List<List<AppendRequest>> batches, int inFlight, BatchWriter writer) throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(inFlight);
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < inFlight; c++) {
                done.add(callers.submit(() -> {
                    for (int b; (b = next.getAndIncrement()) < batches.size(); ) {
                        writer.write(batches.get(b));
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            callers.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return (double) batches.size() * BATCH / seconds;
    }
}
