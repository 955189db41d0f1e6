package pql.scoring.app;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import pql.scoring.domain.score.PqlTransition;

/**
 * Fans live transitions of the serving projection out to watchers (alerts get theirs through {@link AlertSink}). Never blocks the
 * projection: each watcher has a bounded queue, and a watcher too slow to keep up is cut off
 * (told through {@link Subscription#overflowed()}) rather than slowing everybody down.
 */
public final class TransitionHub implements TransitionListener {

    private final CopyOnWriteArrayList<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final int queueCapacity;
    private final LongAdder published = new LongAdder();

    public TransitionHub(int queueCapacity) {
        this.queueCapacity = queueCapacity;
    }

    @Override
    public void onTransition(PqlTransition transition) {
        published.increment();
        for (Subscription subscription : subscriptions) {
            subscription.offer(transition);
        }
    }

    /** A watcher of the live transitions of one account (or all when {@code accountId} is null). */
    public Subscription subscribe(String accountId, Runnable onAvailable) {
        Subscription subscription = new Subscription(accountId, queueCapacity, onAvailable);
        subscriptions.add(subscription);
        return subscription;
    }

    public void unsubscribe(Subscription subscription) {
        subscriptions.remove(subscription);
    }

    public int watchers() {
        return subscriptions.size();
    }

    public long published() {
        return published.sum();
    }

    public static final class Subscription {
        private final String accountId;
        private final BlockingQueue<PqlTransition> queue;
        private final Runnable onAvailable;
        private final AtomicBoolean overflowed = new AtomicBoolean();

        Subscription(String accountId, int capacity, Runnable onAvailable) {
            this.accountId = accountId;
            this.queue = new ArrayBlockingQueue<>(capacity);
            this.onAvailable = onAvailable;
        }

        void offer(PqlTransition transition) {
            if (overflowed.get() || (accountId != null && !accountId.equals(transition.accountId()))) {
                return;
            }
            if (!queue.offer(transition)) {
                overflowed.set(true);
                queue.clear();
            }
            onAvailable.run();
        }

        /** The next queued transition, or null. */
        public PqlTransition poll() {
            return queue.poll();
        }

        /** True once the watcher fell a whole queue behind: it must be cut off. */
        public boolean overflowed() {
            return overflowed.get();
        }

        public List<PqlTransition> drain(int max) {
            List<PqlTransition> drained = new java.util.ArrayList<>();
            queue.drainTo(drained, max);
            return drained;
        }
    }
}
