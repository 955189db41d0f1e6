package pql.scoring.domain.score;

import pql.scoring.domain.CommunicationLevel;
import pql.scoring.domain.Fit;
import pql.scoring.domain.LeadStatus;
import pql.scoring.domain.Level;
import pql.scoring.domain.OpportunitySize;
import pql.scoring.domain.OutcomeKind;
import pql.scoring.domain.Persona;
import pql.scoring.domain.Plan;

/**
 * The few numbers of an account that lists, filters, percentiles and metrics need, as of one
 * evaluation instant: cheap to take for every account. Times are epoch milliseconds, {@link #NONE} when absent.
 *
 * @param dealSizeMicros {@link #NONE} when no deal size is on record
 * @param persona {@link pql.scoring.domain.PersonaRule}'s persona for the levels and fit; odds its definition's
 * @param lastActivityAt the newest product action of any user at or before the instant
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
        long logPosition,
        Fit fit,
        long dealSizeMicros,
        Persona persona,
        double odds,
        long lastActivityAt) {

    public static final long NONE = Long.MIN_VALUE;

    /** A kind applies now, or the account qualified earlier and its trial has not been lost or churned. */
    public boolean isPql() {
        return kindsMask != 0
                || (qualifiedAt != NONE && outcome != OutcomeKind.LOST && outcome != OutcomeKind.CHURNED);
    }

    public boolean isOpen() {
        return outcome == null;
    }

    public LeadStatus status() {
        return LeadStatus.of(outcome, plan);
    }

    /** Deal size x odds in micros; {@link #NONE} without a deal size. */
    public long expectedValueMicros() {
        return dealSizeMicros == NONE ? NONE : Lead.expectedValueMicros(dealSizeMicros, odds);
    }
}
