package pql.scoring.axon;

import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackingToken;

/** What {@link SnapshottingTokenStore} needs from the projection it checkpoints. */
interface SegmentCheckpoints {

    /**
     * The segment was claimed: load its snapshot into the projection (or forget its accounts when there
     * is none) and return the token the state includes; null means "from the start of the log".
     */
    TrackingToken restore(Segment segment);

    /** Persist the segment's accounts together with {@code token} (they agree: called between batches). */
    void checkpoint(Segment segment, TrackingToken token);
}
