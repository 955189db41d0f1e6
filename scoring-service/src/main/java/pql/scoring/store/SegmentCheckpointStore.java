package pql.scoring.store;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import pql.scoring.domain.definition.CompiledDefinition;
import pql.scoring.domain.score.AccountState;

/**
 * Where a projection's segment checkpoints live: one snapshot per (processor, segment) of the
 * segment's account states and the log position they include. Files on one machine
 * ({@link SegmentSnapshotStore}), or a table every process can read ({@link PostgresCheckpointStore}),
 * so a process that claims a segment another one released or lost resumes from its checkpoint.
 */
public interface SegmentCheckpointStore {

    /**
     * Replaces the segment's snapshot. {@code claimCheck} runs first, in the same transaction where the
     * store has transactions (it stores the segment's token, which fails unless this process still
     * owns the segment); when it throws, nothing is written.
     *
     * @return the bytes written
     */
    long write(String processor, int definitionVersion, int segmentId, int mask, long position,
            Collection<AccountState> accounts, Runnable claimCheck);

    /** The segment's snapshot, if a readable one of this definition version exists. */
    Optional<SegmentSnapshot> load(String processor, int segmentId, CompiledDefinition definition);

    /** Deletes every snapshot of {@code processor}. */
    void deleteAll(String processor);

    /** Names of the processors that have snapshots. */
    List<String> processors();
}
