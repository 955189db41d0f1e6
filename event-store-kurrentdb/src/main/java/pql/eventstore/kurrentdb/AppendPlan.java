package pql.eventstore.kurrentdb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import pql.eventstore.AppendRequest;
import pql.eventstore.AppendResult;
import pql.eventstore.EventContent;
import pql.v1.EventEnvelope;

/**
 * One request sorted against what the stream holds: ids already stored (a duplicate when the
 * content is the same, see {@link EventContent}, else a reused id; reported with the original's
 * place), repeats of an earlier event of the same request, and the fresh events that still have to
 * be written.
 */
final class AppendPlan {

    /** Reads stored events by stream version: those whose ids a request sends again. */
    interface StoredEvents {
        Map<Long, EventEnvelope> read(List<Long> versions);
    }

    private final AppendRequest request;
    private final AppendResult.EventOutcome[] outcomes;
    private final List<Integer> fresh = new ArrayList<>();
    /** Index of a repeated event -> index of its first occurrence in the request. */
    private final Map<Integer, Integer> repeats = new HashMap<>();

    AppendPlan(AppendRequest request, KnownStream stream, StoredEvents storedEvents) {
        this.request = request;
        List<EventEnvelope> events = request.events();
        outcomes = new AppendResult.EventOutcome[events.size()];
        Map<String, Integer> firstInRequest = new HashMap<>();
        Map<Integer, KnownStream.EventLocation> known = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            String eventId = events.get(i).getEventId();
            KnownStream.EventLocation stored = stream.locationOf(eventId);
            Integer first = firstInRequest.putIfAbsent(eventId, i);
            if (stored != null) {
                known.put(i, stored);
            } else if (first != null) {
                repeats.put(i, first);
            } else {
                fresh.add(i);
            }
        }
        if (!known.isEmpty()) {
            Map<Long, EventEnvelope> originals = storedEvents.read(known.values().stream()
                    .map(KnownStream.EventLocation::version).distinct().sorted().toList());
            known.forEach((index, stored) -> {
                EventEnvelope original = originals.get(stored.version());
                if (original == null) {
                    throw new IllegalStateException("stream " + request.streamId() + " no longer holds version "
                            + stored.version() + " (was it truncated or deleted?)");
                }
                outcomes[index] = AppendResult.EventOutcome.known(events.get(index).getEventId(),
                        EventContent.same(original, events.get(index)), stored.version(), stored.position());
            });
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
            outcomes[index] = AppendResult.EventOutcome.appended(request.events().get(index).getEventId(),
                    location.version(), location.position());
        }
        for (Map.Entry<Integer, Integer> repeat : repeats.entrySet()) {
            AppendResult.EventOutcome first = outcomes[repeat.getValue()];
            boolean same = EventContent.same(request.events().get(repeat.getValue()), request.events().get(repeat.getKey()));
            outcomes[repeat.getKey()] = AppendResult.EventOutcome.known(first.eventId(), same, first.streamVersion(),
                    first.globalPosition());
        }
        return new AppendResult(request.streamId(), false, streamVersion, Arrays.asList(outcomes));
    }
}
