package pql.scoring.domain;

/** Who an account's engagement percentile is ranked against. */
public enum PercentileCohort {
    /** Accounts with the same opportunity size (the default). */
    OPPORTUNITY_SIZE,
    /** Every account. */
    ALL,
    /** Accounts on the same plan. */
    PLAN
}
