package pql.scoring.app;

/**
 * Where a rescore stands. Events are counted as log positions, which are dense (1, 2, 3...) on the
 * embedded and PostgreSQL engines.
 *
 * @param caughtUpAtMillis {@link Long#MIN_VALUE} until READY
 */
public record RescoreProgress(int version, DefinitionStatus status, long eventsDone, long eventsTotal,
        double eventsPerSecond, double etaSeconds, long startedAtMillis, long caughtUpAtMillis) {
}
