package pql.processing;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.async.SequencingPolicy;
import pql.eventstore.StoredEvent;

/**
 * Events of one stream (one account) are handled in order by one segment; different accounts
 * spread over segments, which is how several threads or processes share a projection.
 */
public final class StreamSequencingPolicy implements SequencingPolicy<EventMessage<?>> {

    public static final StreamSequencingPolicy INSTANCE = new StreamSequencingPolicy();

    @Override
    public Object getSequenceIdentifierFor(EventMessage<?> event) {
        if (event.getPayload() instanceof StoredEvent stored) {
            return stored.streamId();
        }
        return event.getIdentifier();
    }
}
