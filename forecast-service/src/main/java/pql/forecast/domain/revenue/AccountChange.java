package pql.forecast.domain.revenue;

import pql.forecast.domain.Persona;

/**
 * How one trial's place in the forecast differs between two definition versions.
 *
 * @param personaBefore null when the baseline does not count the trial (e.g. filtered out)
 * @param personaAfter null when the candidate does not count it
 */
public record AccountChange(String accountId, Persona personaBefore, Persona personaAfter, long expectedBeforeMicros,
        long expectedAfterMicros) {
}
