package pql.eventstore.postgres;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import pql.eventstore.AppendResult;
import pql.eventstore.EventContent;
import pql.eventstore.StreamVersions;
import pql.v1.EventEnvelope;

/**
 * Decides what one group commit does, request by request, in order: ids the stream holds are
 * filtered first (against stored events and everything planned earlier in the group; a duplicate
 * when the content is the same, see {@link EventContent}, else a reused id), a request with
 * nothing new succeeds whatever its expected version, otherwise the expected version is checked
 * against the stream's version including the group's earlier requests, and new events get the
 * next versions and positions.
 *
 * <p>Pure: the writer feeds it what the database holds, read under the log lock, and writes the
 * planned rows in the same transaction.
 */
final class AppendPlanner {

    private long lastPosition;
    private final Map<String, Long> versions;
    private final Map<EventKey, Location> locations;
    private final List<NewEvent> newEvents = new ArrayList<>();

    /**
     * @param lastPosition the log's last position
     * @param storedVersions the current version of every stream of the group that exists
     * @param storedLocations where the stored events whose ids the group mentions are
     */
    AppendPlanner(long lastPosition, Map<String, Long> storedVersions, Map<EventKey, Location> storedLocations) {
        this.lastPosition = lastPosition;
        this.versions = new HashMap<>(storedVersions);
        this.locations = new HashMap<>(storedLocations);
    }

    AppendResult plan(PreparedAppend append) {
        String streamId = append.streamId();
        long current = versions.getOrDefault(streamId, StreamVersions.NONE);
        List<PreparedAppend.PreparedEvent> events = append.events();
        AppendResult.EventOutcome[] outcomes = new AppendResult.EventOutcome[events.size()];
        List<Integer> fresh = new ArrayList<>();
        Map<String, Integer> firstInRequest = new HashMap<>();
        for (int i = 0; i < outcomes.length; i++) {
            String eventId = events.get(i).eventId();
            Location stored = locations.get(new EventKey(streamId, eventId));
            if (stored != null) {
                outcomes[i] = known(eventId, stored, append.request().events().get(i));
            } else if (firstInRequest.putIfAbsent(eventId, i) == null) {
                fresh.add(i);
            }
        }
        if (fresh.isEmpty()) {
            return new AppendResult(streamId, false, current, List.of(outcomes));
        }
        if (!append.request().expectedVersion().isSatisfiedBy(current)) {
            return AppendResult.conflict(streamId, current);
        }
        for (int index : fresh) {
            PreparedAppend.PreparedEvent event = events.get(index);
            Location location = new Location(++current, ++lastPosition, append.request().events().get(index));
            locations.put(new EventKey(streamId, event.eventId()), location);
            newEvents.add(new NewEvent(location.globalPosition(), append.streamIdBytes(), location.streamVersion(),
                    event.eventIdBytes(), event.envelope()));
            outcomes[index] = AppendResult.EventOutcome.appended(event.eventId(), location.streamVersion(),
                    location.globalPosition());
        }
        for (int i = 0; i < outcomes.length; i++) {
            if (outcomes[i] == null) {
                // a repeat of an id earlier in this very request: judged against that first copy
                String eventId = events.get(i).eventId();
                outcomes[i] = known(eventId, locations.get(new EventKey(streamId, eventId)),
                        append.request().events().get(i));
            }
        }
        versions.put(streamId, current);
        return new AppendResult(streamId, false, current, List.of(outcomes));
    }

    /** Rows to insert, in position order. */
    List<NewEvent> newEvents() {
        return newEvents;
    }

    /** The log's last position once the planned rows are in. */
    long lastPosition() {
        return lastPosition;
    }

    private static AppendResult.EventOutcome known(String eventId, Location location, EventEnvelope incoming) {
        return AppendResult.EventOutcome.known(eventId, EventContent.same(location.event(), incoming),
                location.streamVersion(), location.globalPosition());
    }

    record EventKey(String streamId, String eventId) {
    }

    /** Where an event id's event is, and the event (to tell a retry from a reused id). */
    record Location(long streamVersion, long globalPosition, EventEnvelope event) {
    }

    /** One row of the events table. */
    record NewEvent(long globalPosition, byte[] streamId, long streamVersion, byte[] eventId, byte[] envelope) {
    }
}
