package pql.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Nearest-rank quantiles and the Brier score on numbers small enough to check by hand. */
class QuantilesAndBrierTest {

    @Test
    void theMedianByNearestRankIsAnObservation() {
        // sorted 1 3 7 9: rank ceil(0.5 x 4) = 2 -> 3 (not 5, the mean of the middle two)
        assertThat(Quantiles.nearestRank(new long[] {9, 1, 7, 3}, 0.5)).isEqualTo(3);
        assertThat(Quantiles.nearestRank(new long[] {5, 1, 3}, 0.5)).isEqualTo(3);
        assertThat(Quantiles.nearestRank(new long[] {5, 1, 3}, 0.9)).isEqualTo(5);
        assertThat(Quantiles.nearestRank(new long[] {4}, 0)).isEqualTo(4);
        assertThatThrownBy(() -> Quantiles.nearestRank(new long[0], 0.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theBrierScoreIsTheMeanSquaredErrorOfTheForecasts() {
        BrierScore brier = new BrierScore();
        assertThat(brier.value()).isNaN();
        brier.add(0.9, true);   // 0.01
        brier.add(0.9, false);  // 0.81
        brier.add(0.1, false);  // 0.01
        brier.add(0.5, true);   // 0.25
        assertThat(brier.count()).isEqualTo(4);
        assertThat(brier.value()).isCloseTo((0.01 + 0.81 + 0.01 + 0.25) / 4, within(1e-12));
        assertThatThrownBy(() -> brier.add(1.5, true)).isInstanceOf(IllegalArgumentException.class);
    }
}
