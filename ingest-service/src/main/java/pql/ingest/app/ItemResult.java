package pql.ingest.app;

import java.util.List;
import pql.ingest.validation.Violation;

/** What became of one event of a call. */
public sealed interface ItemResult {

    /** Stored durably by this call. */
    record Accepted(long globalPosition, long streamVersion) implements ItemResult {
    }

    /**
     * The account's stream already held this event (stored earlier, or earlier in this call): the
     * same id with the same content, a retry.
     */
    record Duplicate(long globalPosition, long streamVersion) implements ItemResult {
    }

    /**
     * Not stored: the account's stream holds this event id with other content (another kind,
     * occurred_at or payload). The stored event is untouched; positions are its.
     */
    record IdReused(long globalPosition, long streamVersion) implements ItemResult {
    }

    /** Not stored: the event broke these rules. */
    record Rejected(List<Violation> violations) implements ItemResult {
        public Rejected {
            violations = List.copyOf(violations);
        }
    }
}
