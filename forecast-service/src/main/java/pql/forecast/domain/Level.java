package pql.forecast.domain;

/** Activation or engagement level, cut by the definition's levels. Ordered LOW < MEDIUM < HIGH. */
public enum Level {
    LOW, MEDIUM, HIGH;

    /** Steps between two levels: LOW to HIGH is 2. */
    public int distanceTo(Level other) {
        return Math.abs(ordinal() - other.ordinal());
    }
}
