package pql.scoring.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pql.scoring.app.ProcessorMembership;

/**
 * Processor membership in a PostgreSQL table: every process writes a heartbeat per processor it runs
 * (database time, so clocks need not agree); a process counts as live while its heartbeat is younger
 * than {@code timeout}. Counts are refreshed with each heartbeat and served from memory (Axon asks for
 * the fair share at every claim round).
 */
public final class PostgresMembership implements ProcessorMembership {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresMembership.class);

    private final JdbcTransactions transactions;
    private final String table;
    private final String nodeId;
    private final Duration timeout;
    private final Set<String> joined = ConcurrentHashMap.newKeySet();
    private volatile Map<String, Integer> live = Map.of();
    private final ScheduledExecutorService heartbeats;

    private PostgresMembership(JdbcTransactions transactions, String schema, String nodeId, Duration interval,
            Duration timeout) {
        this.transactions = transactions;
        this.table = schema + ".scoring_node";
        this.nodeId = nodeId;
        this.timeout = timeout;
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "scoring-membership");
            thread.setDaemon(true);
            return thread;
        });
        createTable(schema);
        // know who else runs what before this process decides anything (stale checkpoints at start-up)
        refreshQuietly();
        heartbeats.scheduleWithFixedDelay(this::beatQuietly, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * @param interval how often heartbeats are written
     * @param timeout a process whose last heartbeat is older is gone (a few intervals)
     */
    public static PostgresMembership open(JdbcTransactions transactions, String schema, String nodeId,
            Duration interval, Duration timeout) {
        return new PostgresMembership(transactions, schema, nodeId, interval, timeout);
    }

    public String nodeId() {
        return nodeId;
    }

    private void createTable(String schema) {
        transactions.executeInTransaction(() -> {
            try (Connection connection = transactions.getConnection(); Statement ddl = connection.createStatement()) {
                ddl.execute("SELECT pg_advisory_xact_lock(" + (schema + ".scoring").hashCode() + ")");
                ddl.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
                ddl.execute("CREATE TABLE IF NOT EXISTS " + table + " (processor_name TEXT NOT NULL, "
                        + "node_id TEXT NOT NULL, heartbeat_at TIMESTAMPTZ NOT NULL, "
                        + "PRIMARY KEY (processor_name, node_id))");
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create " + table + ": " + e.getMessage(), e);
            }
        });
    }

    @Override
    public void join(String processor) {
        joined.add(processor);
        beat();
    }

    @Override
    public void leave(String processor) {
        joined.remove(processor);
        try (Connection connection = transactions.getConnection();
                PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM " + table + " WHERE processor_name = ? AND node_id = ?")) {
            delete.setString(1, processor);
            delete.setString(2, nodeId);
            delete.executeUpdate();
        } catch (SQLException e) {
            LOG.warn("cannot leave {}: {} (the heartbeat times out instead)", processor, e.getMessage());
        }
        refreshQuietly();
    }

    @Override
    public int members(String processor) {
        int counted = live.getOrDefault(processor, 0);
        return joined.contains(processor) ? Math.max(1, counted) : counted;
    }

    @Override
    public Set<String> running() {
        Set<String> all = new HashSet<>(live.keySet());
        all.addAll(joined);
        return all;
    }

    private void beatQuietly() {
        try {
            beat();
        } catch (RuntimeException e) {
            LOG.warn("membership heartbeat failed: {}", e.getMessage());
        }
    }

    private synchronized void beat() {
        try (Connection connection = transactions.getConnection()) {
            try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO " + table
                    + " (processor_name, node_id, heartbeat_at) VALUES (?, ?, now()) ON CONFLICT (processor_name, node_id)"
                    + " DO UPDATE SET heartbeat_at = now()")) {
                for (String processor : joined) {
                    upsert.setString(1, processor);
                    upsert.setString(2, nodeId);
                    upsert.addBatch();
                }
                upsert.executeBatch();
            }
            try (PreparedStatement purge = connection.prepareStatement(
                    "DELETE FROM " + table + " WHERE heartbeat_at < now() - interval '1 day'")) {
                purge.executeUpdate();
            }
            refresh(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write the membership heartbeat: " + e.getMessage(), e);
        }
    }

    private void refreshQuietly() {
        try (Connection connection = transactions.getConnection()) {
            refresh(connection);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("cannot read the membership: {}", e.getMessage());
        }
    }

    private void refresh(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT processor_name, count(*) FROM " + table
                + " WHERE heartbeat_at > now() - make_interval(secs => ?) GROUP BY processor_name")) {
            query.setDouble(1, timeout.toMillis() / 1000.0);
            Map<String, Integer> counts = new HashMap<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    counts.put(rows.getString(1), rows.getInt(2));
                }
            }
            live = Map.copyOf(counts);
        }
    }

    @Override
    public void close() {
        heartbeats.shutdownNow();
        for (String processor : Set.copyOf(joined)) {
            leave(processor);
        }
    }
}
