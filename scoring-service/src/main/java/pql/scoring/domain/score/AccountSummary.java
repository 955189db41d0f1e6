package pql.scoring.domain.score;

import pql.scoring.domain.CommunicationLevel;
import pql.scoring.domain.Level;
import pql.scoring.domain.OpportunitySize;
import pql.scoring.domain.OutcomeKind;
import pql.scoring.domain.Plan;

/**
 * The few numbers of an account that lists, filters, percentiles and metrics need, as of its newest
 * event: cheap to take for every account. Times are epoch milliseconds, {@link #NONE} when absent.
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

    public boolean isPql() {
        return kindsMask != 0;
    }

    public boolean isOpen() {
        return outcome == null;
    }
}
