package pql.scoring.app;

import java.util.List;
import pql.scoring.domain.score.AccountSummary;
import pql.scoring.domain.score.CohortPercentiles;

/**
 * A projection's accounts as of one evaluation instant: their summaries and the engagement
 * distribution they form. Lists, exports, metrics and percentiles of one answer all come from one view.
 *
 * @param instant the evaluation instant, epoch ms
 * @param changes the projection's change count the view was built at (to know when it is stale)
 */
public record ProjectionView(long instant, List<AccountSummary> summaries, CohortPercentiles percentiles,
        long changes) {

    /** The default evaluation instant of a request at {@code nowMillis}: the clock truncated to the second. */
    public static long secondOf(long nowMillis) {
        return nowMillis - Math.floorMod(nowMillis, 1000L);
    }
}
