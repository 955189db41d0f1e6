package pql.scoring.domain;

/** Firmographic fit (budget, resources). */
public enum Fit {
    GOOD, POOR
}
