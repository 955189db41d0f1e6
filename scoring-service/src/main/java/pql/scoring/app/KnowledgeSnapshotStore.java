package pql.scoring.app;

import java.io.IOException;
import java.util.List;
import pql.scoring.domain.definition.CompiledDefinition;
import pql.scoring.domain.score.AccountState;

/**
 * Where {@link KnowledgeSnapshots} keeps its snapshots: per definition version, per segment, the
 * segment's account states as they stood at a log position. A cache: losing one only makes a past
 * read fold further, so writes need not be forced to disk; a damaged one must be detected, not read.
 */
public interface KnowledgeSnapshotStore {

    /**
     * One snapshot: segment {@code segmentId} of mask {@code mask} (Axon's segment) of version
     * {@code version}'s projection, holding exactly the segment's events at positions <= {@code position}.
     */
    record Entry(int version, int segmentId, int mask, long position, int accounts, long bytes) {
    }

    /**
     * Stores {@code states}: {@code entry.accounts()} states written one after the other by
     * {@link AccountState#writeTo}, in chunks to be concatenated.
     */
    Entry write(Entry entry, List<byte[]> states) throws IOException;

    /** Every snapshot of {@code version}, in no particular order. */
    List<Entry> list(int version);

    /** The states of a snapshot; throws when it is gone, damaged or of another shape than {@code definition}. */
    List<AccountState> load(Entry entry, CompiledDefinition definition) throws IOException;

    void delete(Entry entry);
}
