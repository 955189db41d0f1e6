package pql.forecast.domain;

/**
 * How a trial ended.
 *
 * @param levelsBeforeClose the levels just before it closed; null when scoring did not record them
 * @param personaBeforeClose the persona scoring-service gave those levels; null with them
 * @param amountMicros the contract value a conversion recorded (0 when none)
 * @param amountCurrency its ISO 4217 code; empty when no amount was recorded
 */
public record ClosedOutcome(OutcomeKind kind, long atEpochMillis, Levels levelsBeforeClose, PersonaMatch personaBeforeClose,
        long amountMicros, String amountCurrency) {
}
