package pql.processing;

import java.time.Duration;
import pql.eventstore.EventStore;

/**
 * Tells a caught-up Axon processor that events were appended ({@code BlockingStream#setOnAvailableCallback}),
 * so it reacts within milliseconds instead of polling every 500 ms. One daemon thread per open stream. The
 * stream arms it when it answers "nothing available" (with the position it has read up to); the watcher
 * then waits on {@link EventStore#awaitAfter} and calls back once. While the stream is busy catching up
 * the watcher sleeps: the processor asks for more by itself then.
 */
final class LogWatcher implements AutoCloseable {

    private static final Duration WAIT = Duration.ofMillis(500);

    private final EventStore store;
    private final Runnable callback;
    private final Thread thread;
    private boolean armed;
    private long readUpTo;
    private volatile boolean closed;

    LogWatcher(EventStore store, Runnable callback, String name) {
        this.store = store;
        this.callback = callback;
        this.thread = new Thread(this::watch, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** The stream told the processor nothing is available after {@code position}. */
    synchronized void arm(long position) {
        readUpTo = position;
        if (!armed) {
            armed = true;
            notifyAll();
        }
    }

    /** The stream found events: the processor is busy, no call back needed. */
    synchronized void disarm() {
        armed = false;
    }

    private synchronized long awaitArmed() throws InterruptedException {
        while (!armed && !closed) {
            wait();
        }
        return readUpTo;
    }

    private synchronized boolean fire(long seen) {
        if (armed && readUpTo == seen) {
            armed = false;
            return true;
        }
        return false;
    }

    private void watch() {
        try {
            while (!closed) {
                long seen = awaitArmed();
                boolean appended;
                try {
                    appended = store.awaitAfter(seen, WAIT);
                } catch (RuntimeException e) {
                    // the store cannot be asked now: let the processor read, and meet the failure itself
                    Thread.sleep(WAIT.toMillis());
                    appended = true;
                }
                if (!closed && appended && fire(seen)) {
                    callback.run();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            notifyAll();
        }
        thread.interrupt();
    }
}
