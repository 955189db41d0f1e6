package pql.processing;

import java.time.Instant;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.StreamableMessageSource;
import pql.eventstore.EventStore;

/**
 * The event log as a stream of {@link LogChunk} messages, with {@link EventLogMessageSource}'s tracking
 * tokens (global positions), so Axon's token stores and processors see the same log. A chunk holds at
 * most {@code maxChunk} consecutive events that are available now (a live event is never held back
 * waiting for others).
 *
 * <p>While a stream is far behind the head (a replay, a rescore), {@code readers} threads read the
 * next slices of the log ahead in parallel; the stream hands them out in log order. Near the head it
 * reads on the processor's own thread, and {@link BlockingStream#setOnAvailableCallback} wakes a
 * caught-up processor as soon as something is appended.
 */
public final class ChunkedEventLogSource implements StreamableMessageSource<TrackedEventMessage<?>> {

    private final EventStore store;
    private final EventLogMessageSource log;
    private final int maxChunk;
    private final int readers;
    private final String name;
    private final ChunkFlow flow;

    /**
     * @param maxChunk events per message
     * @param readers threads reading ahead during catch-up (0: read on the processor's thread only)
     * @param name prefix of the stream's thread names
     */
    /** Events the stream may run ahead of the slowest segment by default. */
    public static final long DEFAULT_EVENTS_AHEAD = 32_768;

    public ChunkedEventLogSource(EventStore store, int maxChunk, int readers, String name) {
        this(store, maxChunk, readers, name, new ChunkFlow(DEFAULT_EVENTS_AHEAD));
    }

    /**
     * @param flow back-pressure from the segments applying the chunks (see {@link ChunkFlow}); null for none
     */
    public ChunkedEventLogSource(EventStore store, int maxChunk, int readers, String name, ChunkFlow flow) {
        if (maxChunk < 1 || readers < 0) {
            throw new IllegalArgumentException("chunks hold at least one event; readers must be >= 0");
        }
        this.store = store;
        this.log = new EventLogMessageSource(store);
        this.maxChunk = maxChunk;
        this.readers = readers;
        this.name = name;
        this.flow = flow;
    }

    /** The back-pressure the processor's invoker reports to, if any. */
    public ChunkFlow flow() {
        return flow;
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
        return new ChunkStream(store, EventLogMessageSource.positionOf(trackingToken), maxChunk, readers, name, flow);
    }

    @Override
    public TrackingToken createTailToken() {
        return log.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return log.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return log.createTokenAt(dateTime);
    }
}
