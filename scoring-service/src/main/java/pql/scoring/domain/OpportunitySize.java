package pql.scoring.domain;

/** Size of the sales opportunity a trial represents (seed 000); picks the PQL activation threshold. */
public enum OpportunitySize {
    SMALL, MID, LARGE
}
