package pql.scoring.axon;

import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.Segment;
import pql.eventstore.StoredEvent;
import pql.scoring.app.ScoringProjection;

/**
 * Feeds a {@link ScoringProjection} from Axon. Every segment receives every chunk and applies the
 * events of its own accounts: an event belongs to the segment that {@code segment.matches(streamId)},
 * exactly as Axon assigns single messages sequenced by stream, so an account's events always go to one
 * segment (one thread, one process) in log order.
 */
final class ProjectionEventHandlerInvoker implements EventHandlerInvoker {

    private final ScoringProjection projection;

    ProjectionEventHandlerInvoker(ScoringProjection projection) {
        this.projection = projection;
    }

    @Override
    public boolean canHandle(EventMessage<?> eventMessage, Segment segment) {
        Object payload = eventMessage.getPayload();
        if (payload instanceof LogChunk) {
            return true;
        }
        return payload instanceof StoredEvent stored && segment.matches(stored.streamId());
    }

    @Override
    public boolean canHandleType(Class<?> payloadType) {
        return LogChunk.class.equals(payloadType) || StoredEvent.class.equals(payloadType);
    }

    @Override
    public void handle(EventMessage<?> message, Segment segment) {
        Object payload = message.getPayload();
        if (payload instanceof LogChunk chunk) {
            for (StoredEvent event : chunk.events()) {
                if (segment.matches(event.streamId())) {
                    projection.apply(event);
                }
            }
            projection.recordSegmentPosition(segment.getSegmentId(), chunk.lastPosition());
        } else if (payload instanceof StoredEvent event && segment.matches(event.streamId())) {
            projection.apply(event);
            projection.recordSegmentPosition(segment.getSegmentId(), event.globalPosition());
        }
    }

    @Override
    public boolean supportsReset() {
        return true;
    }

    @Override
    public void performReset() {
        projection.clear();
    }

    @Override
    public <R> void performReset(R resetContext) {
        projection.clear();
    }
}
