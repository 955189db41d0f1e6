package pql.forecast.domain;

/**
 * How a trial ended.
 *
 * @param levelsBeforeClose the levels just before it closed; null when scoring did not record them
 * @param personaBeforeClose the persona scoring-service gave those levels; null with them
 */
public record ClosedOutcome(OutcomeKind kind, long atEpochMillis, Levels levelsBeforeClose, PersonaMatch personaBeforeClose) {
}
