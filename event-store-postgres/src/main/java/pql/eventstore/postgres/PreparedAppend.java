package pql.eventstore.postgres;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import pql.eventstore.AppendRequest;
import pql.v1.EventEnvelope;

/**
 * An append request encoded on the caller's thread, so the writer (which holds the log lock)
 * only decides and copies bytes.
 */
record PreparedAppend(AppendRequest request, byte[] streamIdBytes, List<PreparedEvent> events) {

    static PreparedAppend of(AppendRequest request) {
        List<PreparedEvent> events = new ArrayList<>(request.events().size());
        for (EventEnvelope envelope : request.events()) {
            String eventId = envelope.getEventId();
            // PostgreSQL text cannot hold NUL: refuse here rather than fail a whole group commit
            if (eventId.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("event ids cannot contain NUL characters (stream "
                        + request.streamId() + ")");
            }
            events.add(new PreparedEvent(eventId, eventId.getBytes(StandardCharsets.UTF_8), envelope.toByteArray()));
        }
        return new PreparedAppend(request, request.streamId().getBytes(StandardCharsets.UTF_8), List.copyOf(events));
    }

    String streamId() {
        return request.streamId();
    }

    /** Bytes this append adds to a group's COPY. */
    long encodedSize() {
        long size = 0;
        for (PreparedEvent event : events) {
            size += streamIdBytes.length + event.eventIdBytes().length + event.envelope().length;
        }
        return size;
    }

    record PreparedEvent(String eventId, byte[] eventIdBytes, byte[] envelope) {
    }
}
