package pql.scoring.app;

import java.util.Set;

/**
 * Which processes run which projection processors, so that processes sharing a store split each
 * processor's segments fairly (each claims its share, see {@link #fairShare}) and take over the
 * segments of a process that left or died.
 */
public interface ProcessorMembership extends AutoCloseable {

    /** This process runs {@code processor} from now on. */
    void join(String processor);

    /** This process no longer runs {@code processor}. */
    void leave(String processor);

    /** Live processes running {@code processor}, this one included when it joined (at least 1). */
    int members(String processor);

    /** Processors some live process runs, this process's included. */
    Set<String> running();

    /** How many of {@code segments} one process should hold now. */
    default int fairShare(String processor, int segments) {
        int members = Math.max(1, members(processor));
        return (segments + members - 1) / members;
    }

    @Override
    void close();

    /** A process alone: it runs everything and holds every segment. */
    static ProcessorMembership solo() {
        return new ProcessorMembership() {
            private final Set<String> joined = java.util.concurrent.ConcurrentHashMap.newKeySet();

            @Override
            public void join(String processor) {
                joined.add(processor);
            }

            @Override
            public void leave(String processor) {
                joined.remove(processor);
            }

            @Override
            public int members(String processor) {
                return 1;
            }

            @Override
            public Set<String> running() {
                return Set.copyOf(joined);
            }

            @Override
            public void close() {
                joined.clear();
            }
        };
    }
}
