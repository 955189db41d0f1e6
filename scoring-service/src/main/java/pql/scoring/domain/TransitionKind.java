package pql.scoring.domain;

public enum TransitionKind {
    BECAME_PQL,
    /** Still a PQL, with other kinds now. */
    KINDS_CHANGED,
    NO_LONGER_PQL,
    /** Activation, engagement or communication level changed while the PQL status did not. */
    LEVELS_CHANGED
}
