package pql.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import pql.eventstore.AppendRequest;
import pql.v1.EventEnvelope;

/**
 * The baseline: the same events inserted into a plain PostgreSQL table with JDBC batches, one
 * transaction per batch, synchronous commit, no event-store logic (no versions checks, no
 * idempotency look-ups, no global ordering lock). What a team would write by hand first.
 */
final class PlainPostgresTarget implements AppendTarget {

    private final DataSource dataSource;

    PlainPostgresTarget(DataSource dataSource) throws Exception {
        this.dataSource = dataSource;
        try (Connection connection = dataSource.getConnection(); Statement ddl = connection.createStatement()) {
            ddl.execute("DROP TABLE IF EXISTS plain_events");
            ddl.execute("CREATE TABLE plain_events (position bigserial PRIMARY KEY, stream_id text NOT NULL,"
                    + " event_id text NOT NULL, envelope bytea NOT NULL)");
        }
    }

    @Override
    public String name() {
        return "plain PostgreSQL batch insert (baseline)";
    }

    @Override
    public void appendAll(List<List<AppendRequest>> batches, int inFlight) throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(inFlight);
        AtomicInteger next = new AtomicInteger();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < inFlight; w++) {
                done.add(writers.submit(() -> {
                    try (Connection connection = dataSource.getConnection()) {
                        connection.setAutoCommit(false);
                        try (PreparedStatement insert = connection.prepareStatement(
                                "INSERT INTO plain_events (stream_id, event_id, envelope) VALUES (?, ?, ?)")) {
                            for (int b; (b = next.getAndIncrement()) < batches.size(); ) {
                                for (AppendRequest request : batches.get(b)) {
                                    for (EventEnvelope event : request.events()) {
                                        insert.setString(1, request.streamId());
                                        insert.setString(2, event.getEventId());
                                        insert.setBytes(3, event.toByteArray());
                                        insert.addBatch();
                                    }
                                }
                                insert.executeBatch();
                                connection.commit();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            writers.shutdownNow();
        }
    }

    @Override
    public void close() {
    }
}
