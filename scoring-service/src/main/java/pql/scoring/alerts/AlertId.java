package pql.scoring.alerts;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import pql.scoring.domain.score.PqlTransition;

/**
 * The stable id of an alert: a name-based UUID of the account, the transition (its kind and the PQL
 * kinds before and after) and its instant. A replay of the same log finds the same transition at the
 * same instant, so an alert re-derived after a restart has the id it had before, and a receiver can
 * de-duplicate by it ({@code X-Pql-Alert-Id}). Time-driven transitions have no event of their own;
 * their instant (the millisecond decay or a window changed the account) names them just as well.
 */
public final class AlertId {

    private AlertId() {
    }

    public static String of(PqlTransition transition) {
        String name = transition.accountId() + '\n' + transition.kind() + '\n' + transition.at() + '\n'
                + transition.kindsBeforeMask() + '\n' + transition.kindsAfterMask();
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
