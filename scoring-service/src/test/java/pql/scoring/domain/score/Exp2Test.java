package pql.scoring.domain.score;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Exp2Test {

    @Test
    void staysWithinTwoUlpsOfTheExactPowerAcrossTheDecayRange() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            double x = random.nextDouble(-600, 600);
            double expected = StrictMath.pow(2.0, x);
            assertThat(Math.abs(Exp2.of(x) - expected)).as("2^%s", x).isLessThanOrEqualTo(2 * Math.ulp(expected));
        }
    }

    @Test
    void wholeAndTableExponentsAreExact() {
        for (int k = -60; k <= 60; k++) {
            assertThat(Exp2.of(k)).isEqualTo(Math.scalb(1.0, k));
            assertThat(Exp2.of(k + 0.5)).isEqualTo(Math.scalb(StrictMath.pow(2.0, 0.5), k));
        }
    }

    @Test
    void outOfRangeFallsBackToThePowerItself() {
        assertThat(Exp2.of(2000)).isEqualTo(StrictMath.pow(2.0, 2000));
        assertThat(Exp2.of(Double.NaN)).isNaN();
        assertThat(Exp2.of(Double.NEGATIVE_INFINITY)).isZero();
    }
}
