package pql.forecast.domain.accuracy;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import pql.forecast.domain.revenue.RevenueRange;
import pql.statistics.WilsonInterval;

class AccuracySummaryTest {

    private static PeriodResult period(long forecast, long p10, long p90, long actual) {
        return new PeriodResult(1, BigInteger.valueOf(forecast), new RevenueRange(p10, forecast, p90, "exact"), actual == 0 ? 0 : 1,
                BigInteger.valueOf(actual));
    }

    @Test
    void periodsWithNothingConvertedAreLeftOutOfTheMeanPercentageErrorButNotOutOfTheBias() {
        AccuracySummary summary = AccuracySummary.of(List.of(
                period(100, 50, 150, 80),   // error +20, 25%, inside
                period(200, 100, 300, 0),   // error +200, no percentage, below P10
                period(90, 60, 100, 120))); // error -30, 25%, above P90

        assertThat(summary.mapePeriods()).isEqualTo(2);
        assertThat(summary.meanAbsolutePercentageError().getAsDouble()).isEqualTo(0.25);
        // (20 + 200 - 30) / 3 = 63.33 micros, half-even to 63
        assertThat(summary.biasMicros()).isEqualTo(BigInteger.valueOf(63));
        assertThat(summary.withinRange()).isEqualTo(1);
        assertThat(summary.withinRangeInterval()).isEqualTo(WilsonInterval.of(1, 3, 0.95));
        assertThat(summary.withinRangeInterval().contains(1.0 / 3)).isTrue();
    }

    @Test
    void biasRoundsHalfToEven() {
        // errors 1 and 2 micros: 1.5 rounds to 2; errors 1 and 0: 0.5 rounds to 0
        assertThat(AccuracySummary.of(List.of(period(1, 0, 1, 0), period(2, 0, 2, 0))).biasMicros()).isEqualTo(BigInteger.TWO);
        assertThat(AccuracySummary.of(List.of(period(1, 0, 1, 0), period(0, 0, 0, 0))).biasMicros()).isEqualTo(BigInteger.ZERO);
    }

    @Test
    void withoutAnyConversionTheMeanPercentageErrorIsUndefinedNotNaN() {
        AccuracySummary summary = AccuracySummary.of(List.of(period(100, 0, 100, 0)));

        assertThat(summary.meanAbsolutePercentageError()).isEmpty();
        assertThat(summary.mapePeriods()).isZero();
    }

    @Test
    void sumsBeyondALongStayExact() {
        long max = Long.MAX_VALUE;
        AccuracySummary summary = AccuracySummary.of(List.of(period(max, 0, max, max), period(max, 0, max, 0)));

        assertThat(summary.forecastMicros()).isEqualTo(BigInteger.valueOf(max).multiply(BigInteger.TWO));
        assertThat(summary.biasMicros()).isEqualTo(BigInteger.valueOf(max).shiftRight(1).add(BigInteger.ONE)); // max / 2 = ...3.5 -> ...4
    }
}
