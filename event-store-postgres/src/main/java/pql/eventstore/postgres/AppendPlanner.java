package pql.eventstore.postgres;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import pql.eventstore.AppendResult;
import pql.eventstore.StreamVersions;

/**
 * Decides what one group commit does, request by request, in order: duplicates are filtered
 * first (against stored events and everything planned earlier in the group), a request with
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
                outcomes[i] = duplicate(eventId, stored);
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
            Location location = new Location(++current, ++lastPosition);
            locations.put(new EventKey(streamId, event.eventId()), location);
            newEvents.add(new NewEvent(location.globalPosition(), append.streamIdBytes(), location.streamVersion(),
                    event.eventIdBytes(), event.envelope()));
            outcomes[index] = new AppendResult.EventOutcome(event.eventId(), false, location.streamVersion(),
                    location.globalPosition());
        }
        for (int i = 0; i < outcomes.length; i++) {
            if (outcomes[i] == null) {
                // a repeat of an id earlier in this very request: it points at that first copy
                String eventId = events.get(i).eventId();
                outcomes[i] = duplicate(eventId, locations.get(new EventKey(streamId, eventId)));
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

    private static AppendResult.EventOutcome duplicate(String eventId, Location location) {
        return new AppendResult.EventOutcome(eventId, true, location.streamVersion(), location.globalPosition());
    }

    record EventKey(String streamId, String eventId) {
    }

    record Location(long streamVersion, long globalPosition) {
    }

    /** One row of the events table. */
    record NewEvent(long globalPosition, byte[] streamId, long streamVersion, byte[] eventId, byte[] envelope) {
    }
}
