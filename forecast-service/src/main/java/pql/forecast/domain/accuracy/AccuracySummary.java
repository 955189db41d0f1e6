package pql.forecast.domain.accuracy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.List;
import java.util.OptionalDouble;
import pql.statistics.WilsonInterval;

/**
 * Accuracy over several periods.
 *
 * @param meanAbsolutePercentageError over the {@code mapePeriods} periods where it is defined (something
 *     converted); empty when there are none
 * @param biasMicros the mean error (forecast - actual) per period, rounded half-even to the micro
 * @param withinRange periods whose actual fell inside P10..P90
 * @param withinRangeInterval the Wilson interval of withinRange / periods at {@link #CONFIDENCE}
 */
public record AccuracySummary(long periods, BigInteger forecastMicros, BigInteger actualMicros,
        OptionalDouble meanAbsolutePercentageError, long mapePeriods, BigInteger biasMicros, long withinRange,
        WilsonInterval withinRangeInterval) {

    public static final double CONFIDENCE = 0.95;

    public static AccuracySummary of(List<PeriodResult> results) {
        BigInteger forecast = BigInteger.ZERO;
        BigInteger actual = BigInteger.ZERO;
        double percentageErrors = 0;
        long mapePeriods = 0;
        long within = 0;
        for (PeriodResult result : results) {
            forecast = forecast.add(result.forecastMicros());
            actual = actual.add(result.actualMicros());
            OptionalDouble percentageError = result.absolutePercentageError();
            if (percentageError.isPresent()) {
                percentageErrors += percentageError.getAsDouble();
                mapePeriods++;
            }
            if (result.actualWithinRange()) {
                within++;
            }
        }
        long periods = results.size();
        BigInteger bias = periods == 0 ? BigInteger.ZERO
                : new BigDecimal(forecast.subtract(actual)).divide(BigDecimal.valueOf(periods), 0, RoundingMode.HALF_EVEN)
                        .toBigIntegerExact();
        return new AccuracySummary(periods, forecast, actual,
                mapePeriods == 0 ? OptionalDouble.empty() : OptionalDouble.of(percentageErrors / mapePeriods), mapePeriods,
                bias, within, WilsonInterval.of(within, periods, CONFIDENCE));
    }

    /** Share of the periods whose actual fell inside P10..P90; 0 without periods. */
    public double withinRangeRate() {
        return periods == 0 ? 0 : (double) withinRange / periods;
    }
}
