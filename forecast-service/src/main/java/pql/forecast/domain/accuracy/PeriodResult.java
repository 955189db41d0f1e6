package pql.forecast.domain.accuracy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.OptionalDouble;
import pql.forecast.domain.revenue.RevenueRange;

/**
 * What was forecast for one period (in total or for one persona) against what converted in it.
 * Money in exact micros.
 *
 * @param forecastTrials open trials at the period's start whose trial end falls in it
 * @param forecastMicros their expected revenue as known at the period's start
 * @param range its P10/P50/P90
 * @param conversions conversions recorded in the period
 * @param actualMicros the sum of their amounts
 */
public record PeriodResult(long forecastTrials, BigInteger forecastMicros, RevenueRange range, long conversions,
        BigInteger actualMicros) {

    /** forecast - actual: positive when the forecast ran high. */
    public BigInteger errorMicros() {
        return forecastMicros.subtract(actualMicros);
    }

    /** |error| / actual; empty when nothing converted (any error is infinitely many percent of 0). */
    public OptionalDouble absolutePercentageError() {
        if (actualMicros.signum() == 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(new BigDecimal(errorMicros().abs())
                .divide(new BigDecimal(actualMicros), MathContext.DECIMAL64).doubleValue());
    }

    public boolean actualWithinRange() {
        return range.contains(actualMicros);
    }

    /** Neither a trial forecast nor a conversion: nothing to judge the forecast by. */
    public boolean isEmpty() {
        return forecastTrials == 0 && conversions == 0;
    }
}
