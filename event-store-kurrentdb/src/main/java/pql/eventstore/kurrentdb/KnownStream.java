package pql.eventstore.kurrentdb;

import io.kurrent.dbclient.RecordedEvent;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import pql.eventstore.StoredEvent;
import pql.eventstore.StreamVersions;

/**
 * What the store knows of one stream: its version and where each of our event ids sits.
 * KurrentDB itself only recognises recent retries, so the idempotency of appends by event id
 * rests on this. Guarded by the stream's append lock.
 */
final class KnownStream {

    /** Where a stored event is. */
    record EventLocation(long version, long position) {
    }

    private long version = StreamVersions.NONE;
    private final Map<String, EventLocation> locations = new HashMap<>();

    long version() {
        return version;
    }

    EventLocation locationOf(String eventId) {
        return locations.get(eventId);
    }

    /** Takes in the stream's next record (ours or not: every record counts for the version). */
    void add(RecordedEvent record) {
        version = record.getRevision();
        Optional<StoredEvent> ours = EventMapping.toStoredEvent(record);
        ours.ifPresent(event -> locations.put(event.envelope().getEventId(),
                new EventLocation(event.streamVersion(), event.globalPosition())));
    }

    void added(String eventId, EventLocation location) {
        version = location.version();
        locations.put(eventId, location);
    }
}
