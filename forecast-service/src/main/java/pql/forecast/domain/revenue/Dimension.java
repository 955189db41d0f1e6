package pql.forecast.domain.revenue;

/** What a forecast can be grouped and filtered by. */
public enum Dimension {
    PERSONA, OPPORTUNITY_SIZE, OWNER, CLOSE_MONTH
}
