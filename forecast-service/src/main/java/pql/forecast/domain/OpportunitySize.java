package pql.forecast.domain;

/** Size of the opportunity a trial represents; UNSPECIFIED when neither stated nor derivable. */
public enum OpportunitySize {
    UNSPECIFIED, SMALL, MID, LARGE
}
