package pql.forecast.domain;

/**
 * What the forecast needs of one account's score: its profile, its levels with the numbers behind
 * them, the persona scoring-service gave those levels, and how it closed if it did. Compact on purpose: a cache holds 100k+ of them per version.
 *
 * @param dealSizeMicros meaningful only when {@code hasDealSize}
 * @param closeMonth see {@link CloseMonth}
 * @param trialEndEpochMillis the trial end the close month is the month of; null when none is on record
 * @param persona as scoring-service's persona rule names it (the suite's one copy of seed 004's table)
 * @param outcome null while the account has not converted, been lost or churned
 */
public record AccountSnapshot(
        String accountId,
        String name,
        String owner,
        OpportunitySize opportunitySize,
        Plan plan,
        Fit fit,
        boolean hasDealSize,
        long dealSizeMicros,
        String currency,
        String closeMonth,
        Long trialEndEpochMillis,
        Levels levels,
        PersonaMatch persona,
        LevelEvidence evidence,
        ClosedOutcome outcome,
        int definitionVersion,
        long logPosition) {
}
