package pql.eventstore.kurrentdb;

import io.kurrent.dbclient.ResolvedEvent;
import io.kurrent.dbclient.SubscribeToAllOptions;
import io.kurrent.dbclient.Subscription;
import io.kurrent.dbclient.SubscriptionListener;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongPredicate;
import pql.eventstore.StoredEvent;

/**
 * Wakes {@link KurrentDbEventStore#awaitAfter} waiters: one live subscription to the end of $all,
 * shared by all of them, that notes the position of each of our events as it is appended.
 *
 * <p>A waiter first makes sure the subscription is live, then looks at the log itself (an event
 * may be there already), then waits for the subscription: nothing appended in between is missed.
 * While the subscription is down (the server is), waiters poll the log instead, and the next
 * waiter subscribes again.
 */
final class LogHeadWatcher implements AutoCloseable {

    private static final long POLL_MILLIS = 200;
    private static final long LIVE_LOOK_MILLIS = 2_000;

    private final ClientConnection connection;
    private final long timeoutMillis;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition moved = lock.newCondition();
    private long newestSeen = -1;
    private Subscription subscription;
    private boolean closed;

    LogHeadWatcher(ClientConnection connection, long timeoutMillis) {
        this.connection = connection;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * Waits until {@code hasEventAfter} says so or the watcher sees one of our events after
     * {@code after}, at most {@code timeout}.
     */
    boolean awaitAfter(long after, Duration timeout, LongPredicate hasEventAfter) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ensureLive();
        if (hasEventAfter.test(after)) {
            return true;
        }
        lock.lockInterruptibly();
        try {
            long nextLook = System.nanoTime() + lookInterval();
            while (newestSeen <= after) {
                long now = System.nanoTime();
                if (deadline - now <= 0 || closed) {
                    return false;
                }
                long wait = Math.min(deadline - now, nextLook - now);
                if (wait > 0) {
                    moved.awaitNanos(wait);
                    continue;
                }
                lock.unlock();
                try {
                    ensureLive();
                    if (hasEventAfter.test(after)) {
                        return true;
                    }
                } finally {
                    lock.lock();
                }
                nextLook = System.nanoTime() + lookInterval();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * How long to trust the subscription before looking at the log again: a while when it is live
     * (a subscription the server dropped without a word must not stall a waiter), briefly when down.
     */
    private long lookInterval() {
        return TimeUnit.MILLISECONDS.toNanos(subscription != null ? LIVE_LOOK_MILLIS : POLL_MILLIS);
    }

    /** Subscribes when there is no live subscription; leaves none when the server cannot be reached. */
    private void ensureLive() {
        lock.lock();
        try {
            if (closed || subscription != null) {
                return;
            }
        } finally {
            lock.unlock();
        }
        synchronized (this) {
            lock.lock();
            try {
                if (closed || subscription != null) {
                    return; // another waiter subscribed meanwhile
                }
            } finally {
                lock.unlock();
            }
            Listener listener = new Listener();
            Subscription started;
            CompletableFuture<Subscription> pending = null;
            try {
                pending = connection.client().subscribeToAll(listener, SubscribeToAllOptions.get().fromEnd().notResolveLinkTos());
                started = KurrentFailures.await(pending, timeoutMillis, "subscribe to $all");
            } catch (RuntimeException unavailable) {
                if (pending != null) {
                    pending.thenAccept(Subscription::stop); // should it be confirmed after all
                }
                return; // waiters look at the log themselves meanwhile
            }
            lock.lock();
            try {
                if (closed || listener.ended) {
                    started.stop();
                    return;
                }
                subscription = started;
            } finally {
                lock.unlock();
            }
        }
    }

    private final class Listener extends SubscriptionListener {
        /** Dropped, maybe before {@link #ensureLive} even stored the subscription. */
        private volatile boolean ended;

        @Override
        public void onEvent(Subscription from, ResolvedEvent event) {
            Optional<StoredEvent> ours = EventMapping.toStoredEvent(event.getOriginalEvent());
            if (ours.isEmpty()) {
                return;
            }
            lock.lock();
            try {
                newestSeen = Math.max(newestSeen, ours.get().globalPosition());
                moved.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void onCancelled(Subscription dropped, Throwable failure) {
            ended = true;
            lock.lock();
            try {
                if (dropped != null && subscription == dropped) {
                    subscription = null;
                }
                moved.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public void close() {
        Subscription last;
        lock.lock();
        try {
            closed = true;
            last = subscription;
            subscription = null;
            moved.signalAll();
        } finally {
            lock.unlock();
        }
        if (last != null) {
            last.stop();
        }
    }
}
