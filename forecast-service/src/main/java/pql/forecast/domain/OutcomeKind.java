package pql.forecast.domain;

/** How a trial ended. CHURNED happens after a conversion, so it never closes a trial. */
public enum OutcomeKind {
    CONVERTED, LOST, CHURNED
}
