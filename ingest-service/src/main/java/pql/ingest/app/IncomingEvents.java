package pql.ingest.app;

import com.google.protobuf.ByteString;
import java.util.List;
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
