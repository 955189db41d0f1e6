package pql.scoring.app;

import java.util.ArrayList;
import java.util.List;
import pql.scoring.domain.score.PqlTransition;

/**
 * The last N transitions of a projection in a fixed ring (older ones are overwritten), newest last;
 * what WatchPqlTransitions sends first.
 */
final class TransitionRing {

    private final PqlTransition[] ring;
    private long written;

    TransitionRing(int capacity) {
        this.ring = new PqlTransition[capacity];
    }

    synchronized void add(PqlTransition transition) {
        ring[(int) (written % ring.length)] = transition;
        written++;
    }

    /** Up to {@code limit} most recent, oldest first, optionally of one account only. */
    synchronized List<PqlTransition> latest(int limit, String accountId) {
        List<PqlTransition> found = new ArrayList<>();
        long oldest = Math.max(0, written - ring.length);
        for (long i = written - 1; i >= oldest && found.size() < limit; i--) {
            PqlTransition transition = ring[(int) (i % ring.length)];
            if (accountId == null || accountId.equals(transition.accountId())) {
                found.add(transition);
            }
        }
        java.util.Collections.reverse(found);
        return found;
    }

    synchronized void clear() {
        java.util.Arrays.fill(ring, null);
        written = 0;
    }
}
