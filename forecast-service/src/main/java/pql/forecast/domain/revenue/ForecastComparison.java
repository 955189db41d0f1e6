package pql.forecast.domain.revenue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import pql.forecast.domain.AccountSnapshot;
import pql.forecast.domain.PersonaOdds;
import pql.forecast.domain.Persona;

/**
 * The trials whose persona or expected revenue differs between a baseline and a candidate
 * definition version (a rescore's forecast delta), in account id order.
 */
public final class ForecastComparison {

    private ForecastComparison() {
    }

    /** Both portfolios must be sorted by account id. */
    public static List<AccountChange> changes(List<AccountSnapshot> baseline, PersonaOdds baselineOdds,
            List<AccountSnapshot> candidate, PersonaOdds candidateOdds, TrialSelector selector) {
        Iterator<ForecastLine> before = new ForecastLines(baseline, selector, baselineOdds);
        Iterator<ForecastLine> after = new ForecastLines(candidate, selector, candidateOdds);
        List<AccountChange> changes = new ArrayList<>();
        ForecastLine left = before.hasNext() ? before.next() : null;
        ForecastLine right = after.hasNext() ? after.next() : null;
        while (left != null || right != null) {
            int order = left == null ? 1 : right == null ? -1
                    : left.account().accountId().compareTo(right.account().accountId());
            if (order < 0) {
                changes.add(new AccountChange(left.account().accountId(), left.match().persona(), null, left.expectedMicros(), 0));
                left = before.hasNext() ? before.next() : null;
            } else if (order > 0) {
                changes.add(new AccountChange(right.account().accountId(), null, right.match().persona(), 0, right.expectedMicros()));
                right = after.hasNext() ? after.next() : null;
            } else {
                Persona was = left.match().persona();
                Persona is = right.match().persona();
                if (!Objects.equals(was, is) || left.expectedMicros() != right.expectedMicros()) {
                    changes.add(new AccountChange(left.account().accountId(), was, is, left.expectedMicros(), right.expectedMicros()));
                }
                left = before.hasNext() ? before.next() : null;
                right = after.hasNext() ? after.next() : null;
            }
        }
        return changes;
    }
}
