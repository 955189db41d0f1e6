package pql.ingest.app;

import java.util.List;
import pql.ingest.validation.Violation;

/** What became of one event of a call. */
public sealed interface ItemResult {

    /** Stored durably by this call. */
    record Accepted(long globalPosition, long streamVersion) implements ItemResult {
    }

    /** The account's stream already held this event id (stored earlier, or earlier in this call). */
    record Duplicate(long globalPosition, long streamVersion) implements ItemResult {
    }

    /** Not stored: the event broke these rules. */
    record Rejected(List<Violation> violations) implements ItemResult {
        public Rejected {
            violations = List.copyOf(violations);
        }
    }
}
