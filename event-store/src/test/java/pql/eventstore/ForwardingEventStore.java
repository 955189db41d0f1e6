package pql.eventstore;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An event store that hands every call to another one: the base of the test stores that change one
 * behaviour of a real store (hold its log back, gate its appends, fail its reads) and keep the rest.
 * Closing closes the real store; override {@link #close} where the test owns it.
 */
public abstract class ForwardingEventStore implements EventStore {

    protected final EventStore delegate;

    protected ForwardingEventStore(EventStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public String engineName() {
        return delegate.engineName();
    }

    @Override
    public CompletableFuture<List<AppendResult>> appendAsync(List<AppendRequest> requests) {
        return delegate.appendAsync(requests);
    }

    @Override
    public List<StoredEvent> readStream(String streamId, long fromVersion, int maxCount) {
        return delegate.readStream(streamId, fromVersion, maxCount);
    }

    @Override
    public long streamVersion(String streamId) {
        return delegate.streamVersion(streamId);
    }

    @Override
    public List<StoredEvent> readAll(long afterPosition, int maxCount) {
        return delegate.readAll(afterPosition, maxCount);
    }

    @Override
    public long headPosition() {
        return delegate.headPosition();
    }

    @Override
    public boolean awaitAfter(long afterPosition, Duration timeout) throws InterruptedException {
        return delegate.awaitAfter(afterPosition, timeout);
    }

    @Override
    public boolean isAvailable() {
        return delegate.isAvailable();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
