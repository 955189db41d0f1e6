package pql.gateway.segment;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * The newest rejected items of the HTTP sources, for {@code pql ingest-errors}: a Segment sender is
 * answered 200 for a batch with bad items (as Segment does), so without this list a rejection would
 * be seen by nobody. Bounded and in memory: it is a diagnosis aid, the counters are the record.
 */
public final class IngestErrorLog {

    /** One rejected item. */
    public record Entry(Instant receivedAt, String source, String apiKeyName, String messageId, String messageType,
            String eventName, String accountId, String code, String reason) {
    }

    private final int capacity;
    private final Deque<Entry> newestFirst = new ArrayDeque<>();
    private long total;

    public IngestErrorLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
    }

    public synchronized void add(Entry entry) {
        newestFirst.addFirst(entry);
        if (newestFirst.size() > capacity) {
            newestFirst.removeLast();
        }
        total++;
    }

    /** Up to {@code limit} entries that {@code visible} lets through, newest first. */
    public synchronized List<Entry> newest(int limit, Predicate<Entry> visible) {
        List<Entry> entries = new ArrayList<>(Math.min(limit, newestFirst.size()));
        Iterator<Entry> iterator = newestFirst.iterator();
        while (iterator.hasNext() && entries.size() < limit) {
            Entry entry = iterator.next();
            if (visible.test(entry)) {
                entries.add(entry);
            }
        }
        return entries;
    }

    /** Every rejection since the start, including those the bounded list no longer holds. */
    public synchronized long total() {
        return total;
    }

    public int capacity() {
        return capacity;
    }
}
