package pql.scoring.app;

import java.util.List;
import pql.scoring.domain.definition.ScoringDefinition;

/** Where definition versions are recorded: the "pql-definitions" stream of the event store. */
public interface DefinitionLog {

    /** A fact about definitions with its version in the stream. */
    sealed interface Entry {
        long streamVersion();

        long at();
    }

    record Published(long streamVersion, long at, int version, ScoringDefinition definition, String publishedBy)
            implements Entry {
    }

    record Activated(long streamVersion, long at, int version, String activatedBy) implements Entry {
    }

    /** Entries with stream version >= {@code fromStreamVersion}, in order. */
    List<Entry> readFrom(long fromStreamVersion);

    /**
     * Appends {@code entries} (their stream versions are ignored) if the stream is at
     * {@code expectedStreamVersion} (-1: empty).
     *
     * @return false when somebody else appended first
     */
    boolean append(long expectedStreamVersion, List<Entry> entries);
}
