package pql.eventstore.kurrentdb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import pql.eventstore.AppendRequest;
import pql.eventstore.AppendResult;
import pql.v1.EventEnvelope;

/**
 * One request sorted against what the stream holds: events already stored (duplicates, reported
 * with the original's place), repeats of an earlier event of the same request, and the fresh
 * events that still have to be written.
 */
final class AppendPlan {

    private final AppendRequest request;
    private final AppendResult.EventOutcome[] outcomes;
    private final List<Integer> fresh = new ArrayList<>();
    /** Index of a repeated event -> index of its first occurrence in the request. */
    private final Map<Integer, Integer> repeats = new HashMap<>();

    AppendPlan(AppendRequest request, KnownStream stream) {
        this.request = request;
        List<EventEnvelope> events = request.events();
        outcomes = new AppendResult.EventOutcome[events.size()];
        Map<String, Integer> firstInRequest = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            String eventId = events.get(i).getEventId();
            KnownStream.EventLocation stored = stream.locationOf(eventId);
            Integer first = firstInRequest.putIfAbsent(eventId, i);
            if (stored != null) {
                outcomes[i] = new AppendResult.EventOutcome(eventId, true, stored.version(), stored.position());
            } else if (first != null) {
                repeats.put(i, first);
            } else {
                fresh.add(i);
            }
        }
    }

    boolean nothingNew() {
        return fresh.isEmpty();
    }

    List<EventEnvelope> freshEvents() {
        List<EventEnvelope> events = new ArrayList<>(fresh.size());
        for (int index : fresh) {
            events.add(request.events().get(index));
        }
        return events;
    }

    /** The result once the fresh events are stored at {@code written} (in order), or with nothing new. */
    AppendResult result(long streamVersion, List<KnownStream.EventLocation> written) {
        if (written.size() != fresh.size()) {
            throw new IllegalArgumentException("expected " + fresh.size() + " locations, got " + written.size());
        }
        for (int i = 0; i < fresh.size(); i++) {
            int index = fresh.get(i);
            KnownStream.EventLocation location = written.get(i);
            outcomes[index] = new AppendResult.EventOutcome(request.events().get(index).getEventId(), false,
                    location.version(), location.position());
        }
        for (Map.Entry<Integer, Integer> repeat : repeats.entrySet()) {
            AppendResult.EventOutcome first = outcomes[repeat.getValue()];
            outcomes[repeat.getKey()] = new AppendResult.EventOutcome(first.eventId(), true, first.streamVersion(),
                    first.globalPosition());
        }
        return new AppendResult(request.streamId(), false, streamVersion, Arrays.asList(outcomes));
    }
}
