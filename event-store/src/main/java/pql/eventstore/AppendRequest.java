package pql.eventstore;

import java.util.List;
import pql.v1.EventEnvelope;

/**
 * Events to append to one stream, in order, under one optimistic-concurrency condition.
 *
 * <p>An event whose id the stream already holds is a duplicate: it is reported, never stored
 * twice. Duplicates are filtered first; when nothing new remains the append succeeds whatever
 * the expected version, so a client's retry is always a no-op.
 */
public record AppendRequest(String streamId, ExpectedVersion expectedVersion, List<EventEnvelope> events) {

    public AppendRequest {
        StreamIds.requireValid(streamId);
        if (expectedVersion == null) {
            throw new IllegalArgumentException("expected version is required");
        }
        if (events == null || events.isEmpty()) {
            throw new IllegalArgumentException("an append needs at least one event");
        }
        events = List.copyOf(events);
        for (EventEnvelope event : events) {
            if (event.getEventId().isEmpty()) {
                throw new IllegalArgumentException("every event needs an event id (stream " + streamId + ")");
            }
        }
    }
}
