package pql.scoring.axon;

import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackingToken;

/** What {@link SnapshottingTokenStore} needs from the projection it checkpoints. */
interface SegmentCheckpoints {

    /**
     * The segment was claimed: load its checkpoint into the projection (or forget its accounts when there
     * is none) and return the token the state includes; null means "from the start of the log".
     */
    TrackingToken restore(Segment segment);

    /**
     * Persist the segment's accounts together with {@code token} (they agree: called between batches);
     * {@code claimCheck} stores the token in the claim store first, in the same transaction.
     */
    void checkpoint(Segment segment, TrackingToken token, Runnable claimCheck);

    /**
     * The segment's claim is being released: checkpoint it at {@code lastStored} when its state is exactly
     * there (null: do not), then drop its accounts; another process (or a later claim) loads the checkpoint.
     */
    void release(Segment segment, TrackingToken lastStored, Runnable claimCheck);
}
