package pql.scoring.domain;

/**
 * Where an account stands as a lead at the evaluation instant, from its outcome and plan as of then:
 * an outcome wins (a trial that converted is CONVERTED even though its plan says PAID since), then
 * the plan. Only OPEN (an open trial) is still to be worked: the PQL list defaults to it.
 */
public enum LeadStatus {
    /** A trial (or an account with no plan on record) with no outcome yet. */
    OPEN,
    CONVERTED,
    LOST,
    CHURNED,
    /** On a paid plan with no recorded trial outcome (e.g. bought before the suite saw it). */
    PAID,
    /** On the free plan with no outcome: no trial end to convert by. */
    FREEMIUM;

    /** @param outcome null when none as of the instant; @param plan null when none on record */
    public static LeadStatus of(OutcomeKind outcome, Plan plan) {
        if (outcome != null) {
            return switch (outcome) {
                case CONVERTED -> CONVERTED;
                case LOST -> LOST;
                case CHURNED -> CHURNED;
            };
        }
        if (plan == Plan.PAID) {
            return PAID;
        }
        return plan == Plan.FREEMIUM ? FREEMIUM : OPEN;
    }
}
