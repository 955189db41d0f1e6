package pql.forecast.domain.revenue;

/**
 * The forecast of one group of open trials.
 *
 * @param pipelineMicros sum of deal sizes
 * @param expectedMicros sum of the trials' deal size x odds, each rounded half-even to the micro
 */
public record ForecastGroup(GroupKey key, long openTrials, long pipelineMicros, long expectedMicros, RevenueRange range) {
}
