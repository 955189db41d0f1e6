package pql.forecast.domain.revenue;

import java.math.BigInteger;

/**
 * The forecast of one group of open trials.
 *
 * @param pipelineMicros sum of deal sizes, exact (beyond a long for many large deals)
 * @param expectedMicros sum of the trials' deal size x odds, each rounded half-even to the micro, exact
 */
public record ForecastGroup(GroupKey key, long openTrials, BigInteger pipelineMicros, BigInteger expectedMicros,
        RevenueRange range) {
}
