package pql.processing;

import java.util.ArrayList;
import java.util.List;
import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.Segment;
import pql.eventstore.LogRecord;

/**
 * Feeds a {@link SegmentChunkHandler} from {@link LogChunk} messages. Every segment receives every chunk
 * and takes the events whose stream it {@code matches} (Axon's own segment test, the same
 * {@link StreamSequencingPolicy} gives per-event messages), so an account's events always go to one
 * segment, in log order, exactly as with one message per event.
 */
public final class ChunkEventHandlerInvoker implements EventHandlerInvoker {

    private final SegmentChunkHandler handler;
    private final ChunkFlow flow;

    public ChunkEventHandlerInvoker(SegmentChunkHandler handler) {
        this(handler, null);
    }

    /** @param flow told how far each segment got, so the stream does not run too far ahead; may be null */
    public ChunkEventHandlerInvoker(SegmentChunkHandler handler, ChunkFlow flow) {
        this.handler = handler;
        this.flow = flow;
    }

    @Override
    public boolean canHandle(EventMessage<?> eventMessage, Segment segment) {
        return eventMessage.getPayload() instanceof LogChunk;
    }

    @Override
    public boolean canHandleType(Class<?> payloadType) {
        return LogChunk.class.equals(payloadType);
    }

    @Override
    public void handle(EventMessage<?> message, Segment segment) {
        if (!(message.getPayload() instanceof LogChunk chunk)) {
            return;
        }
        long appliedUpTo = handler.appliedUpTo(segment);
        if (chunk.lastPosition() <= appliedUpTo) {
            report(segment, appliedUpTo);
            return;
        }
        List<LogRecord> events = chunk.events();
        int[] hashes = chunk.streamHashes();
        List<LogRecord> mine = new ArrayList<>(events.size());
        boolean mayHoldOld = chunk.firstPosition() <= appliedUpTo;
        for (int i = 0; i < hashes.length; i++) {
            // Segment#matches(Object) tests the value's hashCode(): the same as the stream id's hash here
            if (segment.matches(hashes[i])) {
                LogRecord event = events.get(i);
                if (!mayHoldOld || event.globalPosition() > appliedUpTo) {
                    mine.add(event);
                }
            }
        }
        handler.handle(segment, mine, chunk.lastPosition());
        report(segment, chunk.lastPosition());
    }

    private void report(Segment segment, long position) {
        if (flow != null) {
            flow.handled(segment.getSegmentId(), position);
        }
    }

    @Override
    public boolean supportsReset() {
        return true;
    }

    @Override
    public void performReset() {
        handler.reset();
    }

    @Override
    public <R> void performReset(R resetContext) {
        handler.reset();
    }
}
