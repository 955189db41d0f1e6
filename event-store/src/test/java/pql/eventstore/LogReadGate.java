package pql.eventstore;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An event store whose global log cannot be read until the test opens it: the projections it
 * feeds stay where their checkpoints left them (a restart whose replay has not got anywhere yet),
 * for exactly as long as a test needs. Streams (definitions, single accounts) read as usual.
 */
public final class LogReadGate implements EventStore {

    private final EventStore store;
    private final CountDownLatch open = new CountDownLatch(1);

    public LogReadGate(EventStore store) {
        this.store = store;
    }

    /** From now on the log reads through. */
    public void open() {
        open.countDown();
    }

    @Override
    public List<StoredEvent> readAll(long afterPosition, int maxCount) {
        try {
            if (!open.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never opened the log");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
        return store.readAll(afterPosition, maxCount);
    }

    @Override
    public String engineName() {
        return store.engineName();
    }

    @Override
    public CompletableFuture<List<AppendResult>> appendAsync(List<AppendRequest> requests) {
        return store.appendAsync(requests);
    }

    @Override
    public List<StoredEvent> readStream(String streamId, long fromVersion, int maxCount) {
        return store.readStream(streamId, fromVersion, maxCount);
    }

    @Override
    public long streamVersion(String streamId) {
        return store.streamVersion(streamId);
    }

    @Override
    public long headPosition() {
        return store.headPosition();
    }

    @Override
    public boolean awaitAfter(long afterPosition, Duration timeout) throws InterruptedException {
        return store.awaitAfter(afterPosition, timeout);
    }

    @Override
    public boolean isAvailable() {
        return store.isAvailable();
    }

    @Override
    public void close() {
        open();
    }
}
