package pql.scoring.store;

import java.util.List;
import pql.scoring.domain.score.AccountState;

/**
 * The states of one segment's accounts and the log position they include, taken together.
 *
 * @param position every event of the segment's accounts at or before it is in the states; -1 when
 *     the segment had processed nothing
 */
public record SegmentSnapshot(int segmentId, int mask, long position, List<AccountState> accounts) {
}
