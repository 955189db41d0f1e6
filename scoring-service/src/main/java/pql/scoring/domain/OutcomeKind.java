package pql.scoring.domain;

public enum OutcomeKind {
    CONVERTED, LOST, CHURNED
}
