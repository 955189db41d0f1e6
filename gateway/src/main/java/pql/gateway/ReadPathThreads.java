package pql.gateway;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads every read crosses in the gateway (its Netty event loops, its read executor): daemons
 * named {@code prefixN}, at the highest Java priority, so that when ingest keeps the cores busy a
 * read gets one first (issue #13; Linux applies Java priorities only under
 * {@code -XX:ThreadPriorityPolicy=1}, see the all-in-one's InProcessModule).
 */
final class ReadPathThreads {

    private ReadPathThreads() {
    }

    static ThreadFactory numbered(String prefix) {
        AtomicInteger number = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + number.incrementAndGet());
            thread.setDaemon(true);
            thread.setPriority(Thread.MAX_PRIORITY);
            return thread;
        };
    }
}
