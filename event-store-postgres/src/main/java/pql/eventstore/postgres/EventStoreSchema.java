package pql.eventstore.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The store's tables in one schema, and their migrations.
 *
 * <p>{@code events} is the log: the global position is its primary key (so reading the log is
 * an index range scan), a stream's events are found through {@code (stream_id, stream_version)}
 * and an event id's earlier copy through {@code (stream_id, event_id)}; both are unique, so even
 * a writer that ignored the log lock could not store a version or an id twice. {@code log_head}
 * is one row: the last position, and the lock every writer takes so positions are handed out in
 * commit order. {@code schema_version} records which migrations ran.
 */
final class EventStoreSchema {

    /** Migrations in order; a migration is never edited once released, only followed by another. */
    private static final List<Migration> MIGRATIONS = List.of(
            new Migration(1, "event log, stream and event id indexes, log head", List.of(
                    """
                    CREATE TABLE IF NOT EXISTS %1$s.events (
                        global_position bigint NOT NULL PRIMARY KEY,
                        stream_id text COLLATE "C" NOT NULL,
                        stream_version bigint NOT NULL,
                        event_id text COLLATE "C" NOT NULL,
                        envelope bytea NOT NULL,
                        recorded_at timestamptz NOT NULL DEFAULT now(),
                        CONSTRAINT events_stream_version_key UNIQUE (stream_id, stream_version),
                        CONSTRAINT events_event_id_key UNIQUE (stream_id, event_id),
                        CONSTRAINT events_position_positive CHECK (global_position > 0),
                        CONSTRAINT events_version_positive CHECK (stream_version >= 0)
                    )""",
                    """
                    CREATE TABLE IF NOT EXISTS %1$s.log_head (
                        id smallint NOT NULL PRIMARY KEY CHECK (id = 1),
                        last_position bigint NOT NULL
                    )""",
                    "INSERT INTO %1$s.log_head (id, last_position) VALUES (1, 0) ON CONFLICT (id) DO NOTHING")));

    private final String schema;

    EventStoreSchema(String schema) {
        this.schema = schema;
    }

    String name() {
        return schema;
    }

    /** The NOTIFY channel on which writers publish the new head after each commit. */
    String channel() {
        return schema + "_appended";
    }

    static int latestVersion() {
        return MIGRATIONS.get(MIGRATIONS.size() - 1).version();
    }

    /**
     * Creates or upgrades the schema in one transaction. Safe to run from several processes at
     * once: an advisory lock on the schema's name lets one of them work while the others wait,
     * then find nothing left to do.
     */
    void migrate(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                lock.setString(1, "pql-event-store:" + schema);
                lock.execute();
            }
            try (Statement ddl = connection.createStatement()) {
                if (!schemaExists(connection)) {
                    // only asked for when missing: a DBA may have created it for a user without CREATE on the database
                    ddl.execute("CREATE SCHEMA " + schema);
                }
                ddl.execute("CREATE TABLE IF NOT EXISTS " + schema + ".schema_version ("
                        + " version integer NOT NULL PRIMARY KEY,"
                        + " description text NOT NULL,"
                        + " applied_at timestamptz NOT NULL DEFAULT now())");
            }
            int current = currentVersion(connection);
            if (current > latestVersion()) {
                throw new IllegalStateException("schema " + schema + " is at version " + current
                        + ", newer than this build knows (" + latestVersion() + "): upgrade the application");
            }
            for (Migration migration : MIGRATIONS) {
                if (migration.version() > current) {
                    apply(connection, migration);
                }
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private boolean schemaExists(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
            query.setString(1, schema);
            try (ResultSet row = query.executeQuery()) {
                return row.next();
            }
        }
    }

    int currentVersion(Connection connection) throws SQLException {
        try (Statement query = connection.createStatement();
                ResultSet rows = query.executeQuery("SELECT coalesce(max(version), 0) FROM " + schema + ".schema_version")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private void apply(Connection connection, Migration migration) throws SQLException {
        try (Statement ddl = connection.createStatement()) {
            for (String statement : migration.statements()) {
                ddl.execute(statement.formatted(schema));
            }
        }
        try (PreparedStatement record = connection.prepareStatement(
                "INSERT INTO " + schema + ".schema_version (version, description) VALUES (?, ?)")) {
            record.setInt(1, migration.version());
            record.setString(2, migration.description());
            record.executeUpdate();
        }
    }

    private record Migration(int version, String description, List<String> statements) {
    }
}
