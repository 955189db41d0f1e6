package pql.forecast.domain;

/** Firmographic fit (budget, resources). UNKNOWN when the profile does not say. */
public enum Fit {
    GOOD, POOR, UNKNOWN
}
