package pql.eventstore.kurrentdb;

import io.kurrent.dbclient.Position;
import io.kurrent.dbclient.ResolvedEvent;
import io.kurrent.dbclient.SubscribeToAllOptions;
import io.kurrent.dbclient.Subscription;
import io.kurrent.dbclient.SubscriptionListener;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import pql.eventstore.EventStoreUnavailableException;
import pql.eventstore.LogCursor;
import pql.eventstore.StoredEvent;

/**
 * A {@link LogCursor} fed by a KurrentDB subscription to $all: the server sends the history from
 * the cursor's position, then live events, into a bounded queue. When the queue is full the
 * listener waits, the client stops asking for more and the server pauses (gRPC flow control):
 * memory stays bounded however far behind the consumer is.
 *
 * <p>When the subscription drops (the server went away) the events already queued are still
 * delivered; then the next call subscribes again from the last queued event, on a fresh client if
 * need be, and reports {@link EventStoreUnavailableException} while that fails.
 */
final class SubscriptionLogCursor implements LogCursor {

    private static final long OFFER_WAIT_MILLIS = 100;
    static final Duration DEFAULT_IDLE_CHECK = Duration.ofSeconds(5);

    private final ClientConnection connection;
    private final GlobalLog log;
    private final long timeoutMillis;
    private final BlockingQueue<StoredEvent> queue;
    private final long idleCheckNanos;
    private volatile long lastQueuedAt = System.nanoTime();
    private long lastIdleCheck = System.nanoTime();
    private final Object subscribing = new Object();
    private StoredEvent next;
    private long position;
    /** Position of the newest event queued: a new subscription starts after it. */
    private volatile long queuedUpTo;
    private volatile Subscription subscription;
    /** The listener of the current subscription; events and drops of earlier ones are ignored. */
    private volatile Listener current;
    private volatile Throwable dropped;
    private volatile boolean closed;

    SubscriptionLogCursor(ClientConnection connection, GlobalLog log, long afterPosition, int bufferSize, long timeoutMillis) {
        this(connection, log, afterPosition, bufferSize, timeoutMillis, DEFAULT_IDLE_CHECK);
    }

    /**
     * @param idleCheck how long the subscription may bring nothing before the cursor looks at the
     *     log for events it should have brought
     */
    SubscriptionLogCursor(ClientConnection connection, GlobalLog log, long afterPosition, int bufferSize, long timeoutMillis,
            Duration idleCheck) {
        this.idleCheckNanos = idleCheck.toNanos();
        this.connection = connection;
        this.log = log;
        this.timeoutMillis = timeoutMillis;
        this.queue = new ArrayBlockingQueue<>(bufferSize);
        this.position = afterPosition;
        this.queuedUpTo = afterPosition;
        try {
            subscribe();
        } catch (EventStoreUnavailableException notYet) {
            dropped = notYet; // the first read tries again and reports it
        }
    }

    @Override
    public Optional<StoredEvent> peek() {
        ensureOpen();
        if (next == null) {
            resubscribeIfDropped();
            next = queue.poll();
        }
        return Optional.ofNullable(next);
    }

    @Override
    public boolean hasNextAvailable(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (next == null) {
            ensureOpen();
            resubscribeIfDropped();
            long left = deadline - System.nanoTime();
            next = left > 0 ? queue.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(250)), TimeUnit.NANOSECONDS) : queue.poll();
            if (next == null && deadline - System.nanoTime() <= 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public StoredEvent nextAvailable() throws InterruptedException {
        while (!hasNextAvailable(1, TimeUnit.SECONDS)) {
            ensureOpen();
        }
        StoredEvent taken = next;
        next = null;
        position = taken.globalPosition();
        return taken;
    }

    @Override
    public long position() {
        return position;
    }

    /** Queued events come first: a dropped subscription is replaced once they are all taken. */
    private void resubscribeIfDropped() {
        checkIdleSubscription();
        if (dropped != null && queue.isEmpty()) {
            subscribe();
        }
    }

    /**
     * The client (1.1.0) swallows a subscription that ends with CANCELLED (a proxy or a server
     * cancelling the call): its listener never hears of it and the cursor would wait forever.
     * So a subscription that brought nothing for a while is checked against the log: when the
     * log holds events of ours after the last one queued, the subscription is replaced. (An event
     * appended just then and still on its way costs a needless resubscription, nothing more.)
     */
    private void checkIdleSubscription() {
        long now = System.nanoTime();
        if (dropped != null || !queue.isEmpty() || now - lastQueuedAt < idleCheckNanos || now - lastIdleCheck < idleCheckNanos) {
            return;
        }
        lastIdleCheck = now;
        try {
            if (log.readAfter(queuedUpTo, 1).isEmpty()) {
                return;
            }
        } catch (EventStoreUnavailableException unreachable) {
            return; // a subscription to an unreachable server ends by itself, loudly
        }
        Subscription silent = subscription;
        current = null;
        dropped = new EventStoreUnavailableException("the subscription to $all stopped delivering events");
        if (silent != null) {
            silent.stop();
        }
    }

    private void subscribe() {
        synchronized (subscribing) {
            if (closed) {
                return;
            }
            long after = queuedUpTo;
            try {
                Position start = log.subscriptionStart(after);
                SubscribeToAllOptions options = SubscribeToAllOptions.get().notResolveLinkTos();
                options = start == null ? options.fromStart() : options.fromPosition(start);
                Listener listener = new Listener();
                // current before the call: the subscription may drop before the call returns
                current = listener;
                dropped = null;
                lastQueuedAt = System.nanoTime();
                CompletableFuture<Subscription> pending = connection.client().subscribeToAll(listener, options);
                try {
                    subscription = KurrentFailures.await(pending, timeoutMillis, "subscribe to $all");
                } catch (RuntimeException e) {
                    pending.thenAccept(Subscription::stop); // should it be confirmed after all
                    throw e;
                }
            } catch (EventStoreUnavailableException e) {
                dropped = e;
                throw e;
            } catch (RuntimeException e) {
                dropped = e;
                throw new EventStoreUnavailableException("cannot subscribe to $all after position " + after + ": " + e.getMessage(), e);
            }
        }
    }

    private final class Listener extends SubscriptionListener {
        @Override
        public void onEvent(Subscription from, ResolvedEvent resolved) {
            Optional<StoredEvent> ours = EventMapping.toStoredEvent(resolved.getOriginalEvent());
            if (ours.isEmpty() || ours.get().globalPosition() <= queuedUpTo) {
                return;
            }
            if (this != current) {
                return;
            }
            StoredEvent event = ours.get();
            try {
                while (!queue.offer(event, OFFER_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                    if (closed || this != current) {
                        return;
                    }
                }
                queuedUpTo = event.globalPosition();
                lastQueuedAt = System.nanoTime();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void onCancelled(Subscription from, Throwable failure) {
            if (this == current) {
                dropped = failure != null ? failure : new EventStoreUnavailableException("the subscription to $all ended");
            }
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
        Subscription last = subscription;
        subscription = null;
        if (last != null) {
            last.stop();
        }
        queue.clear();
        next = null;
    }
}
