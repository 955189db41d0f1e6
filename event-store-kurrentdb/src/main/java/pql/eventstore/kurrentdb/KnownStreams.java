package pql.eventstore.kurrentdb;

import java.util.LinkedHashMap;
import java.util.Map;

/** The streams the store knows, least recently used forgotten first. */
final class KnownStreams {

    private final Map<String, KnownStream> streams;

    KnownStreams(int capacity) {
        this.streams = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, KnownStream> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized KnownStream get(String streamId) {
        return streams.get(streamId);
    }

    synchronized void put(String streamId, KnownStream stream) {
        streams.put(streamId, stream);
    }

    /** After a failure or a concurrent writer: what we knew may be stale, read it again next time. */
    synchronized void forget(String streamId) {
        streams.remove(streamId);
    }
}
