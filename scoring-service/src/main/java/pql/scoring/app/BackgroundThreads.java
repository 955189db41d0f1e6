package pql.scoring.app;

import java.util.concurrent.ThreadFactory;

/**
 * Threads of scoring's background work (maintenance, watch fan-out, known_at): daemons of one
 * name, at the lowest Java priority. Their work grows with the ingest rate, so when the cores are
 * short the reads go first (issue #13; Linux applies Java priorities only under
 * {@code -XX:ThreadPriorityPolicy=1}).
 */
public final class BackgroundThreads {

    private BackgroundThreads() {
    }

    public static ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            thread.setPriority(Thread.MIN_PRIORITY);
            return thread;
        };
    }
}
