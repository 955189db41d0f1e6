package pql.eventstore.postgres;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.postgresql.PGConnection;
import pql.eventstore.AppendResult;
import pql.v1.EventEnvelope;

/**
 * One group commit: every append of the group in one transaction that holds the log lock from
 * its first statement to its COMMIT.
 *
 * <p>Holding the lock while positions are handed out and until the commit is what makes the
 * global order the commit order: the next writer (of this process or another) reads the last
 * position only after the previous transaction is committed and visible, so a reader that has
 * seen position N can never later see an event below N appear. A failed transaction rolls its
 * positions back and the next writer reuses them; nobody saw them, so there is no gap either.
 */
final class GroupCommit {

    private final String lockLog;
    private final String streamVersions;
    private final String storedLocations;
    private final String copyEvents;
    private final String advanceHead;
    private final String channel;

    GroupCommit(EventStoreSchema schema) {
        String s = schema.name();
        // synchronous_commit=off would acknowledge before the WAL is flushed: a transaction may turn
        // it back on for itself, whatever the server's or role's default (stricter settings stay)
        lockLog = "SELECT last_position, set_config('synchronous_commit', CASE current_setting('synchronous_commit')"
                + " WHEN 'off' THEN 'on' ELSE current_setting('synchronous_commit') END, true)"
                + " FROM " + s + ".log_head WHERE id = 1 FOR UPDATE";
        streamVersions = "SELECT k.stream_id, (SELECT e.stream_version FROM " + s + ".events e"
                + " WHERE e.stream_id = k.stream_id ORDER BY e.stream_version DESC LIMIT 1)"
                + " FROM unnest(?::text[]) AS k(stream_id)";
        // the envelope too: only ids the stream already holds come back, and they need their content compared
        storedLocations = "SELECT e.stream_id, e.event_id, e.stream_version, e.global_position, e.envelope"
                + " FROM unnest(?::text[], ?::text[]) AS k(stream_id, event_id)"
                + " JOIN " + s + ".events e ON e.stream_id = k.stream_id AND e.event_id = k.event_id";
        copyEvents = "COPY " + s + ".events " + BinaryCopyRows.COLUMNS + " FROM STDIN WITH (FORMAT binary)";
        advanceHead = "UPDATE " + s + ".log_head SET last_position = ? WHERE id = 1 RETURNING pg_notify(?, ?)";
        channel = schema.channel();
    }

    /**
     * Runs the group; returns once COMMIT has returned, i.e. once the events are durable.
     *
     * @throws SQLException when anything fails: then nothing of the group is stored (unless the
     *     connection broke during COMMIT itself, when the outcome is unknown to us)
     */
    Outcome run(Connection connection, List<PreparedAppend> appends) throws SQLException {
        connection.setAutoCommit(false);
        try {
            long lastPosition = lockLog(connection);
            AppendPlanner planner = new AppendPlanner(lastPosition, streamVersions(connection, appends),
                    storedLocations(connection, appends));
            List<AppendResult> results = new ArrayList<>(appends.size());
            for (PreparedAppend append : appends) {
                results.add(planner.plan(append));
            }
            List<AppendPlanner.NewEvent> newEvents = planner.newEvents();
            if (!newEvents.isEmpty()) {
                copy(connection, newEvents);
                advanceHead(connection, planner.lastPosition());
            }
            connection.commit();
            return new Outcome(results, planner.lastPosition(), newEvents.size());
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(connection);
            throw e;
        }
    }

    record Outcome(List<AppendResult> results, long lastPosition, int appendedEvents) {
    }

    private long lockLog(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(lockLog);
                ResultSet row = lock.executeQuery()) {
            if (!row.next()) {
                throw new SQLException("the log head row is missing from the schema");
            }
            return row.getLong(1);
        }
    }

    private Map<String, Long> streamVersions(Connection connection, List<PreparedAppend> appends) throws SQLException {
        Set<String> streams = new LinkedHashSet<>();
        for (PreparedAppend append : appends) {
            streams.add(append.streamId());
        }
        Map<String, Long> versions = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement(streamVersions)) {
            Array ids = connection.createArrayOf("text", streams.toArray(String[]::new));
            query.setArray(1, ids);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    long version = rows.getLong(2);
                    if (!rows.wasNull()) {
                        versions.put(rows.getString(1), version);
                    }
                }
            }
            ids.free();
        }
        return versions;
    }

    private Map<AppendPlanner.EventKey, AppendPlanner.Location> storedLocations(Connection connection,
            List<PreparedAppend> appends) throws SQLException {
        Set<AppendPlanner.EventKey> keys = new LinkedHashSet<>();
        for (PreparedAppend append : appends) {
            for (PreparedAppend.PreparedEvent event : append.events()) {
                keys.add(new AppendPlanner.EventKey(append.streamId(), event.eventId()));
            }
        }
        String[] streamIds = new String[keys.size()];
        String[] eventIds = new String[keys.size()];
        int i = 0;
        for (AppendPlanner.EventKey key : keys) {
            streamIds[i] = key.streamId();
            eventIds[i++] = key.eventId();
        }
        Map<AppendPlanner.EventKey, AppendPlanner.Location> locations = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement(storedLocations)) {
            Array streamArray = connection.createArrayOf("text", streamIds);
            Array eventArray = connection.createArrayOf("text", eventIds);
            query.setArray(1, streamArray);
            query.setArray(2, eventArray);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    locations.put(new AppendPlanner.EventKey(rows.getString(1), rows.getString(2)),
                            new AppendPlanner.Location(rows.getLong(3), rows.getLong(4), envelope(rows.getLong(4),
                                    rows.getBytes(5))));
                }
            }
            streamArray.free();
            eventArray.free();
        }
        return locations;
    }

    private static EventEnvelope envelope(long position, byte[] bytes) {
        try {
            return EventEnvelope.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt event at position " + position, e);
        }
    }

    private void copy(Connection connection, List<AppendPlanner.NewEvent> events) throws SQLException {
        byte[] rows = BinaryCopyRows.encode(events);
        try {
            connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn(copyEvents, new ByteArrayInputStream(rows), 1 << 16);
        } catch (IOException e) {
            // reading a byte array cannot fail; the driver declares it for streams in general
            throw new SQLException("could not send the events to the server", "08006", e);
        }
    }

    private void advanceHead(Connection connection, long lastPosition) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(advanceHead)) {
            update.setLong(1, lastPosition);
            update.setString(2, channel);
            update.setString(3, Long.toString(lastPosition));
            try (ResultSet ignored = update.executeQuery()) {
                // NOTIFY inside the transaction: delivered to listeners when, and only if, it commits
            }
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is likely gone; the server rolls back a transaction whose session ended
        }
    }
}
