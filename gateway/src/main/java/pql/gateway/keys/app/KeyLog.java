package pql.gateway.keys.app;

import java.util.List;
import pql.gateway.keys.domain.KeyEvent;

/** Where runtime keys are recorded: the "pql-api-keys" stream of the event store. */
public interface KeyLog {

    /** An event with its version in the stream. */
    record Entry(long streamVersion, KeyEvent event) {
    }

    /** Every entry with stream version >= {@code fromVersion}, in order. */
    List<Entry> readFrom(long fromVersion);

    /**
     * Appends {@code event} if the stream is at {@code expectedVersion} (-1: empty).
     *
     * @throws Conflict when somebody else appended first
     */
    void append(long expectedVersion, KeyEvent event);

    /** Another writer (another gateway) appended since the stream was read. */
    final class Conflict extends RuntimeException {
        public Conflict(String message) {
            super(message);
        }
    }
}
