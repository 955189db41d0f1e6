package pql.ingest.app;

import com.google.protobuf.ByteString;
import java.util.List;
import pql.ingest.validation.Violation;
import pql.v1.Event;

/**
 * The events of one call. A transport that kept the wire bytes can also hand over each event's
 * encoded kind message, which becomes the stored payload as is: re-encoding what the client
 * already encoded is the largest per-event cost of ingest after the store itself.
 */
public interface IncomingEvents {

    int size();

    Event event(int index);

    /**
     * The protobuf encoding of the event's kind message (e.g. its ProductAction) exactly as
     * received, or null when the transport did not keep it (then it is encoded again).
     */
    ByteString payload(int index);

    /**
     * Why the item's bytes are not an event (invalid UTF-8, a nested message cut short, two kinds),
     * each with its path; empty when it decoded. An undecodable item is rejected on its own: the
     * rest of its call goes on. Its {@link #event} then carries what could be read (the event id).
     */
    default List<Violation> undecodable(int index) {
        return List.of();
    }

    /** Events without their wire bytes (in-process callers, tests). */
    static IncomingEvents of(List<Event> events) {
        return new IncomingEvents() {
            @Override
            public int size() {
                return events.size();
            }

            @Override
            public Event event(int index) {
                return events.get(index);
            }

            @Override
            public ByteString payload(int index) {
                return null;
            }
        };
    }
}
