package pql.eventstore.kurrentdb;

import io.kurrent.dbclient.Position;
import io.kurrent.dbclient.RecordedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import pql.eventstore.StoredEvent;
import pql.eventstore.StreamVersions;

/**
 * Our view of KurrentDB's $all: only our events, addressed by their commit positions.
 *
 * <p>KurrentDB positions are byte offsets of records in its transaction log, and it reads $all
 * only from the offset of a record (else: INVALID_ARGUMENT, "invalid position"). Our callers may
 * pass any number ("after position p - 1" is a fair request), so a read from a position the
 * server refuses starts instead from the newest record at or before it, found by reading $all
 * backwards from the end. Positions from our own events, and 0, never need that.
 */
final class GlobalLog {

    private final KurrentReads reads;
    private final int pageSize;

    GlobalLog(KurrentReads reads, int pageSize) {
        this.reads = reads;
        this.pageSize = pageSize;
    }

    /** Our events with position > {@code after}, in log order, at most {@code maxCount}. */
    List<StoredEvent> readAfter(long after, int maxCount) {
        List<StoredEvent> events = new ArrayList<>(Math.min(maxCount, pageSize));
        // a read from a position includes the record there: one more than needed
        int page = (int) Math.min(pageSize, (long) maxCount + 1);
        Position from = startOf(after);
        long seen = after;
        Position lastRead = null;
        while (true) {
            List<RecordedEvent> records;
            try {
                records = reads.allForwards(from, page);
            } catch (KurrentFailures.InvalidRequestException invalidPosition) {
                from = floor(after);
                records = reads.allForwards(from, page);
            }
            for (RecordedEvent record : records) {
                long position = EventMapping.positionOf(record);
                lastRead = record.getPosition();
                if (position <= seen) {
                    continue;
                }
                seen = position;
                Optional<StoredEvent> ours = EventMapping.toStoredEvent(record);
                if (ours.isPresent()) {
                    events.add(ours.get());
                    if (events.size() == maxCount) {
                        return events;
                    }
                }
            }
            if (records.size() < page) {
                return events;
            }
            from = lastRead;
            page = pageSize;
        }
    }

    /** Position of our newest event, {@link StreamVersions#BEFORE_FIRST_POSITION} if there is none. */
    long head() {
        Position before = null;
        while (true) {
            List<RecordedEvent> records = reads.allBackwards(before, pageSize);
            for (RecordedEvent record : records) {
                Optional<StoredEvent> ours = EventMapping.toStoredEvent(record);
                if (ours.isPresent()) {
                    return ours.get().globalPosition();
                }
            }
            if (records.size() < pageSize) {
                return StreamVersions.BEFORE_FIRST_POSITION;
            }
            before = records.get(records.size() - 1).getPosition();
        }
    }

    /**
     * Where a subscription must start to deliver exactly the records after {@code after}:
     * {@code after} itself when the server can read from there, else the newest record at or
     * before it; null for the start of the log.
     */
    Position subscriptionStart(long after) {
        Position from = startOf(after);
        if (from == null) {
            return null;
        }
        try {
            reads.allForwards(from, 1);
            return from;
        } catch (KurrentFailures.InvalidRequestException invalidPosition) {
            return floor(after);
        }
    }

    private static Position startOf(long after) {
        return after <= StreamVersions.BEFORE_FIRST_POSITION ? null : new Position(after, after);
    }

    /** The newest record at or before {@code position}; null when there is none. */
    private Position floor(long position) {
        Position before = null;
        while (true) {
            List<RecordedEvent> records = reads.allBackwards(before, pageSize);
            for (RecordedEvent record : records) {
                long recordPosition = EventMapping.positionOf(record);
                if (recordPosition <= position) {
                    return record.getPosition();
                }
            }
            if (records.size() < pageSize) {
                return null;
            }
            before = records.get(records.size() - 1).getPosition();
        }
    }
}
