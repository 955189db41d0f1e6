package pql.forecast.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OddsTest {

    @Test
    void dealTimesOddsRoundsHalfEvenToTheMicro() {
        assertThat(Odds.of("0.3").applyTo(5)).as("1.5 -> 2").isEqualTo(2);
        assertThat(Odds.of("0.5").applyTo(5)).as("2.5 -> 2").isEqualTo(2);
        assertThat(Odds.of("0.5").applyTo(7)).as("3.5 -> 4").isEqualTo(4);
        assertThat(Odds.of("0.9").applyTo(12_345_670_000L)).isEqualTo(11_111_103_000L);
        assertThat(Odds.of(0.3).applyTo(5)).as("0.3 as a double is still three tenths").isEqualTo(2);
        assertThat(Odds.of("1").applyTo(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(Odds.of("0").applyTo(123)).isZero();
    }

    @Test
    void theLongPathAgreesWithBigDecimal() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            int decimals = random.nextInt(1, 12);
            BigDecimal odds = BigDecimal.valueOf(random.nextLong(0, pow10(decimals) + 1), decimals);
            long micros = random.nextInt(3) == 0 ? random.nextLong(0, 1000) : random.nextLong(0, Long.MAX_VALUE / 2);
            long expected = BigDecimal.valueOf(micros).multiply(odds).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
            assertThat(Odds.of(odds.toPlainString()).applyTo(micros)).as(micros + " x " + odds).isEqualTo(expected);
        }
    }

    private static long pow10(int n) {
        long value = 1;
        for (int i = 0; i < n; i++) {
            value *= 10;
        }
        return value;
    }

    @Test
    void oddsOutside0To1AreRefused() {
        assertThatThrownBy(() -> Odds.of("1.01")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Odds.of(-0.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Odds.of(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void oddsPrintAsPercentages() {
        assertThat(Odds.of("0.9").percent()).isEqualTo("90%");
        assertThat(Odds.of("0.125").percent()).isEqualTo("12.5%");
        assertThat(Odds.of("1").percent()).isEqualTo("100%");
        assertThat(Odds.of("0").percent()).isEqualTo("0%");
    }
}
