package pql.forecast.domain;

/**
 * How a trial ended.
 *
 * @param levelsBeforeClose the levels just before it closed; null when scoring did not record them
 */
public record ClosedOutcome(OutcomeKind kind, long atEpochMillis, Levels levelsBeforeClose) {
}
