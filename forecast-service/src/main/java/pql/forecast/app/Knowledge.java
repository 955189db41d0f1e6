package pql.forecast.app;

/**
 * What an answer was computed from: the {@code known_at} asked for (only events recorded at or
 * before it count; null: everything recorded so far) and scoring's log position its scores include
 * (0 when scoring did not say).
 */
public record Knowledge(Long knownAtMillis, long headPosition) {

    public static Knowledge of(Long knownAtMillis, Portfolio portfolio) {
        return new Knowledge(knownAtMillis, portfolio.headPosition());
    }
}
