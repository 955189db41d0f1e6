package pql.processing;

import java.time.Instant;
import java.util.List;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.StreamableMessageSource;
import pql.eventstore.EventStore;
import pql.eventstore.StoredEvent;
import pql.eventstore.StreamVersions;

/**
 * The event store's global log as an Axon message source. Tracking tokens are global positions
 * ({@link GlobalSequenceTrackingToken}), so Axon's streaming processors get segments, claims and
 * replay-by-token-reset over any engine. The store never lets a gap fill in later, so no
 * gap-aware token is needed.
 *
 * <p>Each message's payload is the {@link StoredEvent} (its envelope still encoded per kind):
 * handlers decode only what they use.
 */
public final class EventLogMessageSource implements StreamableMessageSource<TrackedEventMessage<?>> {

    private final EventStore store;

    public EventLogMessageSource(EventStore store) {
        this.store = store;
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
        return new EventLogStream(store.openAll(positionOf(trackingToken)), store);
    }

    /** The position a token stands at; the start of the log for none. */
    public static long positionOf(TrackingToken token) {
        if (token == null) {
            return StreamVersions.BEFORE_FIRST_POSITION;
        }
        return token.position().orElseThrow(() -> new IllegalArgumentException("token without a position: " + token));
    }

    public static TrackingToken tokenAt(long position) {
        return new GlobalSequenceTrackingToken(position);
    }

    @Override
    public TrackingToken createTailToken() {
        return null;
    }

    @Override
    public TrackingToken createHeadToken() {
        return tokenAt(store.headPosition());
    }

    /**
     * A token just before the first event recorded at or after {@code instant} (recording time is
     * monotonic in log order; event time is not). Scans the log: meant for rare replays.
     */
    @Override
    public TrackingToken createTokenAt(Instant instant) {
        long after = StreamVersions.BEFORE_FIRST_POSITION;
        List<StoredEvent> page;
        while (!(page = store.readAll(after, 4096)).isEmpty()) {
            for (StoredEvent event : page) {
                var recorded = event.envelope().getRecordedAt();
                if (!Instant.ofEpochSecond(recorded.getSeconds(), recorded.getNanos()).isBefore(instant)) {
                    return after == StreamVersions.BEFORE_FIRST_POSITION ? null : tokenAt(after);
                }
                after = event.globalPosition();
            }
        }
        return createHeadToken();
    }
}
