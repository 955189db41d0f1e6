package pql.scoring.domain.score;

import pql.scoring.domain.CommunicationLevel;
import pql.scoring.domain.Level;
import pql.scoring.domain.OpportunitySize;
import pql.scoring.domain.OutcomeKind;
import pql.scoring.domain.Plan;

/**
 * The few numbers of an account that lists, filters, percentiles and metrics need, as of one
 * evaluation instant: cheap to take for every account. Times are epoch milliseconds, {@link #NONE} when absent.
 */
public record AccountSummary(
        String accountId,
        String cohort,
        OpportunitySize opportunitySize,
        Plan plan,
        String owner,
        double activationRate,
        double engagementScore,
        Level activationLevel,
        Level engagementLevel,
        CommunicationLevel communicationLevel,
        int kindsMask,
        long qualifiedAt,
        long firstSeenAt,
        long newestAt,
        OutcomeKind outcome,
        long convertedAt,
        long lostAt,
        long churnedAt,
        int dau,
        int wau,
        int mau,
        long logPosition) {

    public static final long NONE = Long.MIN_VALUE;

    /** A kind applies now, or the account qualified earlier and its trial has not been lost or churned. */
    public boolean isPql() {
        return kindsMask != 0
                || (qualifiedAt != NONE && outcome != OutcomeKind.LOST && outcome != OutcomeKind.CHURNED);
    }

    public boolean isOpen() {
        return outcome == null;
    }
}
