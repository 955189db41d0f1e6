package pql.allinone.restart;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import pql.eventstore.AppendRequest;
import pql.eventstore.AppendResult;
import pql.eventstore.EventStore;
import pql.eventstore.StoredEvent;

/**
 * The event store as one service sees it, with the global log held back until the test releases
 * it: given to scoring, its projection stays where a restart leaves it before any replay, while
 * the other services use the store as usual. (scoring-service's tests have their own copy,
 * {@code LogReadGate}: test sources are not shared between modules.)
 */
final class HeldLog implements EventStore {

    private final EventStore store;
    private final CountDownLatch released = new CountDownLatch(1);

    HeldLog(EventStore store) {
        this.store = store;
    }

    void release() {
        released.countDown();
    }

    @Override
    public List<StoredEvent> readAll(long afterPosition, int maxCount) {
        try {
            if (!released.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the log");
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

    /** The store is the app's to close; this only lets anyone still waiting go. */
    @Override
    public void close() {
        release();
    }
}
