package pql.scoring.axon;

import java.util.List;
import pql.eventstore.StoredEvent;

/**
 * Consecutive events of the global log carried by one Axon message. Axon's per-message cost (unit of
 * work, handler invocation, token bookkeeping) is paid once per chunk instead of once per event,
 * which is what lets a replay run at a million events per second; each segment still applies only
 * the events of its own accounts, in log order.
 */
public record LogChunk(List<StoredEvent> events) {

    public LogChunk {
        if (events.isEmpty()) {
            throw new IllegalArgumentException("a chunk holds at least one event");
        }
    }

    public long firstPosition() {
        return events.get(0).globalPosition();
    }

    public long lastPosition() {
        return events.get(events.size() - 1).globalPosition();
    }
}
