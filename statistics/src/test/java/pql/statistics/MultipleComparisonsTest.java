package pql.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Benjamini-Hochberg, the two-proportion z-test and the normal distribution function against published values. */
class MultipleComparisonsTest {

    /** Benjamini and Hochberg (1995), section 4: fifteen p-values of a clinical trial. */
    private static final double[] PAPER = {0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262,
        0.5719, 0.6528, 0.7590, 1.000};

    @Test
    void givenThePapersExample_whenControllingTheFdrAtFivePercent_thenTheFourSmallestAreRejected() {
        boolean[] rejected = BenjaminiHochberg.reject(PAPER, 0.05);

        int count = 0;
        for (int i = 0; i < rejected.length; i++) {
            assertThat(rejected[i]).as("p " + PAPER[i]).isEqualTo(i < 4);
            count += rejected[i] ? 1 : 0;
        }
        // The paper: Bonferroni rejects 3, the step-up procedure 4.
        assertThat(count).isEqualTo(4);
    }

    @Test
    void givenThePapersExample_whenAdjusting_thenTheQValuesAreRsPAdjustBh() {
        double[] adjusted = BenjaminiHochberg.adjust(PAPER);

        // R: p.adjust(p, "BH")
        assertThat(adjusted[0]).isCloseTo(0.0015, within(1e-9));
        assertThat(adjusted[3]).isCloseTo(0.035625, within(1e-9));
        assertThat(adjusted[4]).isCloseTo(0.0603, within(1e-9));
        assertThat(adjusted[5]).isCloseTo(0.0638571, within(1e-6));
        assertThat(adjusted[6]).isCloseTo(0.0638571, within(1e-6));
        assertThat(adjusted[14]).isEqualTo(1.0);
    }

    @Test
    void givenTheOrderShuffled_whenAdjusting_thenEachKeepsItsQValue() {
        double[] shuffled = {PAPER[9], PAPER[0], PAPER[4]};
        double[] adjusted = BenjaminiHochberg.adjust(shuffled);
        assertThat(adjusted).containsExactly(new double[] {0.3240, 0.0003, 0.0301500}, within(1e-12));
    }

    @Test
    void aPValueOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> BenjaminiHochberg.adjust(new double[] {0.2, Double.NaN})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BenjaminiHochberg.adjust(new double[] {1.5})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theNormalDistributionFunctionMatchesTheTables() {
        assertThat(NormalDistribution.cdf(0)).isCloseTo(0.5, within(1e-7));
        assertThat(NormalDistribution.cdf(1)).isCloseTo(0.8413447, within(1e-6));
        assertThat(NormalDistribution.cdf(1.959963985)).isCloseTo(0.975, within(1e-6));
        assertThat(NormalDistribution.cdf(-2.326347874)).isCloseTo(0.01, within(1e-6));
        assertThat(NormalDistribution.cdf(NormalQuantile.of(0.3))).isCloseTo(0.3, within(1e-6));
    }

    @Test
    void theTwoProportionTestMatchesRsPropTestWithoutContinuityCorrection() {
        // R: prop.test(c(30, 20), c(100, 100), correct = FALSE): X-squared = 2.6667 (= z^2), p-value = 0.1025
        assertThat(TwoProportionTest.z(30, 100, 20, 100)).isCloseTo(Math.sqrt(8.0 / 3), within(1e-9));
        assertThat(TwoProportionTest.pValue(30, 100, 20, 100)).isCloseTo(0.1025, within(1e-4));
        assertThat(TwoProportionTest.pValue(20, 100, 30, 100)).isCloseTo(0.1025, within(1e-4));
        assertThat(TwoProportionTest.pValue(5, 10, 0, 0)).isEqualTo(1.0);
        assertThat(TwoProportionTest.pValue(10, 10, 20, 20)).isEqualTo(1.0);
    }
}
