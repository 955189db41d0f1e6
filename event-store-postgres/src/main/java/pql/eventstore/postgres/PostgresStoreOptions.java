package pql.eventstore.postgres;

import java.time.Duration;

/**
 * Settings of the PostgreSQL engine.
 *
 * @param connection the database and its pool
 * @param maxGroupEvents most events one group commit (one transaction, one COMMIT) carries
 * @param maxQueuedEvents events waiting for the writer before appends are refused with
 *     {@link pql.eventstore.EventStoreOverloadedException}
 * @param pollInterval how often a waiting reader asks the database for the head while the
 *     LISTEN connection is down (with it up, notifications wake readers at once)
 */
public record PostgresStoreOptions(PostgresConnectionOptions connection, int maxGroupEvents, int maxQueuedEvents,
        Duration pollInterval) {

    public PostgresStoreOptions {
        if (connection == null) {
            throw new IllegalArgumentException("connection options are required");
        }
        if (maxGroupEvents < 1 || maxQueuedEvents < maxGroupEvents) {
            throw new IllegalArgumentException("need 1 <= maxGroupEvents <= maxQueuedEvents");
        }
        if (pollInterval == null || pollInterval.toMillis() < 10) {
            throw new IllegalArgumentException("poll interval must be at least 10 ms");
        }
    }

    public static PostgresStoreOptions defaults(PostgresConnectionOptions connection) {
        return new PostgresStoreOptions(connection, 10_000, 100_000, Duration.ofMillis(500));
    }

    public PostgresStoreOptions withQueueLimits(int maxGroupEvents, int maxQueuedEvents) {
        return new PostgresStoreOptions(connection, maxGroupEvents, maxQueuedEvents, pollInterval);
    }

    public PostgresStoreOptions withPollInterval(Duration pollInterval) {
        return new PostgresStoreOptions(connection, maxGroupEvents, maxQueuedEvents, pollInterval);
    }
}
