package pql.eventstore;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A {@link LogCursor} built from {@link EventStore#readAll} pages and
 * {@link EventStore#awaitAfter} for the live tail; fits every engine whose reads are cheap.
 */
public final class PollingLogCursor implements LogCursor {

    private final EventStore store;
    private final int pageSize;
    private final ArrayDeque<StoredEvent> buffer = new ArrayDeque<>();
    private long fetchedUpTo;
    private long position;
    private volatile boolean closed;

    public PollingLogCursor(EventStore store, long afterPosition, int pageSize) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("page size must be >= 1");
        }
        this.store = store;
        this.pageSize = pageSize;
        this.fetchedUpTo = afterPosition;
        this.position = afterPosition;
    }

    @Override
    public Optional<StoredEvent> peek() {
        if (buffer.isEmpty()) {
            fetch();
        }
        return Optional.ofNullable(buffer.peekFirst());
    }

    @Override
    public boolean hasNextAvailable(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (buffer.isEmpty()) {
            ensureOpen();
            fetch();
            if (!buffer.isEmpty()) {
                break;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            store.awaitAfter(fetchedUpTo, Duration.ofNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(500))));
        }
        return true;
    }

    @Override
    public StoredEvent nextAvailable() throws InterruptedException {
        while (!hasNextAvailable(1, TimeUnit.SECONDS)) {
            ensureOpen();
        }
        StoredEvent next = buffer.pollFirst();
        position = next.globalPosition();
        return next;
    }

    @Override
    public long position() {
        return position;
    }

    private void fetch() {
        List<StoredEvent> page = store.readAll(fetchedUpTo, pageSize);
        if (!page.isEmpty()) {
            buffer.addAll(page);
            fetchedUpTo = page.get(page.size() - 1).globalPosition();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("cursor closed");
        }
    }

    @Override
    public void close() {
        closed = true;
        buffer.clear();
    }
}
