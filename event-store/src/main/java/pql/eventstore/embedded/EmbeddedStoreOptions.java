package pql.eventstore.embedded;

import java.nio.file.Path;

/**
 * Settings of the embedded engine.
 *
 * @param directory where the RocksDB files live (created if missing), e.g. {@code ./data/events}
 * @param maxGroupEvents most events one group commit (one fsync) carries
 * @param maxQueuedEvents events waiting for the writer before appends are refused with
 *     {@link pql.eventstore.EventStoreOverloadedException}
 */
public record EmbeddedStoreOptions(Path directory, int maxGroupEvents, int maxQueuedEvents) {

    public EmbeddedStoreOptions {
        if (directory == null) {
            throw new IllegalArgumentException("directory is required");
        }
        if (maxGroupEvents < 1 || maxQueuedEvents < maxGroupEvents) {
            throw new IllegalArgumentException("need 1 <= maxGroupEvents <= maxQueuedEvents");
        }
    }

    public static EmbeddedStoreOptions defaults(Path directory) {
        return new EmbeddedStoreOptions(directory, 20_000, 200_000);
    }
}
