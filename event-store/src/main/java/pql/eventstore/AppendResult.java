package pql.eventstore;

import java.util.List;

/**
 * What an append did to its stream.
 *
 * @param streamId the stream
 * @param conflict true when the expected version did not hold: nothing was stored
 * @param streamVersion the stream's version after the append (its actual version on conflict)
 * @param events one outcome per requested event, in request order (empty on conflict)
 */
public record AppendResult(String streamId, boolean conflict, long streamVersion, List<EventOutcome> events) {

    public AppendResult {
        events = List.copyOf(events);
    }

    public static AppendResult conflict(String streamId, long actualVersion) {
        return new AppendResult(streamId, true, actualVersion, List.of());
    }

    public long appendedCount() {
        return events.stream().filter(e -> !e.duplicate()).count();
    }

    /**
     * The outcome of one event.
     *
     * @param duplicate true when the stream already held this event id; the positions are then
     *     those of the stored original
     */
    public record EventOutcome(String eventId, boolean duplicate, long streamVersion, long globalPosition) {
    }
}
