package pql.processing;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads projections work on: daemons named {@code prefix-N}, at the lowest Java priority.
 * Projecting is background work that grows with the ingest rate, so when the cores are short the
 * reads of its results go first (issue #13; Linux applies Java priorities only under
 * {@code -XX:ThreadPriorityPolicy=1}).
 */
final class BackgroundThreads {

    private BackgroundThreads() {
    }

    static ThreadFactory numbered(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            thread.setPriority(Thread.MIN_PRIORITY);
            return thread;
        };
    }
}
