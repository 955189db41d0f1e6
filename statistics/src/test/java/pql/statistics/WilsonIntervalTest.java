package pql.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The interval and the normal quantile against published values. */
class WilsonIntervalTest {

    @Test
    void theWilsonIntervalMatchesPublishedValues() {
        // 8 of 10 at 95%: 0.4902 .. 0.9433
        WilsonInterval interval = WilsonInterval.of(8, 10, 0.95);
        assertThat(interval.low()).isCloseTo(0.4902, within(1e-4));
        assertThat(interval.high()).isCloseTo(0.9433, within(1e-4));
        assertThat(WilsonInterval.of(0, 0, 0.95)).isEqualTo(new WilsonInterval(0, 1));
        assertThat(NormalQuantile.of(0.975)).isCloseTo(1.959963985, within(1e-8));
        assertThat(NormalQuantile.of(0.995)).isCloseTo(2.575829304, within(1e-8));
        assertThat(NormalQuantile.of(0.01)).isCloseTo(-2.326347874, within(1e-8));
    }
}
