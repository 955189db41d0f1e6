package pql.processing;

import java.util.List;
import org.axonframework.eventhandling.Segment;
import pql.eventstore.LogRecord;

/**
 * A projection fed chunk by chunk, one segment at a time (see {@link ChunkEventHandlerInvoker}). Each
 * segment is handled by one thread at a time, so per-segment state needs no locking against itself.
 */
public interface SegmentChunkHandler {

    /**
     * The log position up to which the segment's state already includes its events (from a checkpoint
     * or earlier chunks), {@code StreamVersions.BEFORE_FIRST_POSITION} for none. Events at or before it
     * are not handed over again, even when Axon re-reads the log from an earlier position because
     * another segment was claimed further back.
     */
    long appliedUpTo(Segment segment);

    /**
     * Applies {@code events}: the chunk's events of this segment's streams after {@link #appliedUpTo}, in
     * log order (possibly none), then records that the segment has seen the log up to {@code upTo}.
     */
    void handle(Segment segment, List<LogRecord> events, long upTo);

    /** The processor's tokens were reset: forget everything, a replay from the start follows. */
    void reset();
}
