package pql.scoring.alerts;

import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import pql.scoring.domain.TransitionKind;
import pql.scoring.domain.score.PqlTransition;

/**
 * Transitions too old to be news (a backfill, a replay, a restart's catch-up after a long stop),
 * gathered for one subscription into a single summary: posted once no old transition has come for
 * {@code quietPeriod}, so a backfill, however long, yields one message, not thousands.
 */
public final class BackfillSummary {

    /** What a summary says. {@code accountsBecamePql} counts distinct accounts. */
    public record Summary(int accountsBecamePql, long transitions, Map<TransitionKind, Long> byKind, long fromMillis,
            long toMillis) {
    }

    private final Duration quietPeriod;
    private final Set<String> becamePql = new HashSet<>();
    private final Map<TransitionKind, Long> byKind = new EnumMap<>(TransitionKind.class);
    private long transitions;
    private long from = Long.MAX_VALUE;
    private long to = Long.MIN_VALUE;
    private long lastAddedAt;

    public BackfillSummary(Duration quietPeriod) {
        this.quietPeriod = quietPeriod;
    }

    /** An old transition, seen at {@code nowMillis} (wall clock). */
    public synchronized void add(PqlTransition transition, long nowMillis) {
        transitions++;
        byKind.merge(transition.kind(), 1L, Long::sum);
        if (transition.kind() == TransitionKind.BECAME_PQL) {
            becamePql.add(transition.accountId());
        }
        from = Math.min(from, transition.at());
        to = Math.max(to, transition.at());
        lastAddedAt = nowMillis;
    }

    /** The summary once the old transitions stopped for the quiet period (and starts over); else empty. */
    public synchronized Optional<Summary> takeIfQuiet(long nowMillis) {
        if (transitions == 0 || nowMillis - lastAddedAt < quietPeriod.toMillis()) {
            return Optional.empty();
        }
        Summary summary = new Summary(becamePql.size(), transitions, Map.copyOf(byKind), from, to);
        becamePql.clear();
        byKind.clear();
        transitions = 0;
        from = Long.MAX_VALUE;
        to = Long.MIN_VALUE;
        return Optional.of(summary);
    }

    public synchronized long gathered() {
        return transitions;
    }
}
