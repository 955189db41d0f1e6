package pql.eventstore;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An event store whose global log cannot be read until the test opens it: the projections it
 * feeds stay where their checkpoints left them (a restart whose replay has not got anywhere yet),
 * for exactly as long as a test needs. Streams (definitions, single accounts) read as usual.
 */
public final class LogReadGate extends ForwardingEventStore {

    private final CountDownLatch open = new CountDownLatch(1);

    public LogReadGate(EventStore store) {
        super(store);
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
        return super.readAll(afterPosition, maxCount);
    }

    /** The store is its owner's to close; this only lets anyone still waiting go. */
    @Override
    public void close() {
        open();
    }
}
