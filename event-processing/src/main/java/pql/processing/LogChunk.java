package pql.processing;

import java.util.List;
import pql.eventstore.LogRecord;

/**
 * Consecutive events of the global log carried by one Axon message. Axon's per-message cost (unit of
 * work, handler invocation, token bookkeeping) is then paid once per chunk instead of once per event,
 * which is what lets a replay run at a million events per second. The message's tracking token is the
 * position of the chunk's last event.
 *
 * <p>The events are {@link LogRecord}s: envelopes as the store keeps them, so a segment reads the few
 * fields it needs instead of the reading thread building every envelope whole.
 *
 * @param streamHashes each event's {@code streamId().hashCode()}, computed by the thread that read the
 *     chunk: every segment tests every event against it ({@code Segment#matches}), and a compact array
 *     spares each segment a walk through events that are not its own
 */
public record LogChunk(List<LogRecord> events, int[] streamHashes) {

    public LogChunk {
        if (events.isEmpty()) {
            throw new IllegalArgumentException("a chunk holds at least one event");
        }
        if (streamHashes.length != events.size()) {
            throw new IllegalArgumentException("one stream hash per event");
        }
    }

    public LogChunk(List<LogRecord> events) {
        this(events, hashesOf(events));
    }

    static int[] hashesOf(List<LogRecord> events) {
        int[] hashes = new int[events.size()];
        for (int i = 0; i < hashes.length; i++) {
            hashes[i] = events.get(i).streamHash();
        }
        return hashes;
    }

    public long firstPosition() {
        return events.get(0).globalPosition();
    }

    public long lastPosition() {
        return events.get(events.size() - 1).globalPosition();
    }

    public int size() {
        return events.size();
    }
}
