package pql.eventstore.embedded;

import java.util.List;
import org.rocksdb.WriteBatch;
import pql.eventstore.AppendResult;

/**
 * What the sequencer hands the committer: a group of appends decided and encoded into one write
 * batch, with each append's results, the streams' new versions, the new ids and the last position,
 * published once the batch is durable. {@link #END} tells the committer that no group follows.
 */
record SequencedGroup(List<PendingAppend> group, WriteBatch batch, List<List<AppendResult>> results,
        StreamHead.Updates versions, List<IdKey> newIds, long lastPosition) {
    static final SequencedGroup END = new SequencedGroup(List.of(), null, List.of(), StreamHead.Updates.NONE, List.of(), -1);
}
