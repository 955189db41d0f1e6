package pql.statistics;

/**
 * Two-sided z-test that two binomial proportions are equal (pooled standard error), e.g. the
 * conversion rate of trials that did something against those that did not. Fine for the sample
 * sizes discovery insists on (at least a few dozen on each side); not an exact test.
 */
public final class TwoProportionTest {

    private TwoProportionTest() {
    }

    /** The z statistic of (x1/n1 - x2/n2); 0 when either side is empty or the pooled rate is 0 or 1. */
    public static double z(long successes1, long trials1, long successes2, long trials2) {
        if (trials1 == 0 || trials2 == 0) {
            return 0;
        }
        double pooled = (double) (successes1 + successes2) / (trials1 + trials2);
        double standardError = Math.sqrt(pooled * (1 - pooled) * (1.0 / trials1 + 1.0 / trials2));
        if (standardError == 0) {
            return 0;
        }
        return ((double) successes1 / trials1 - (double) successes2 / trials2) / standardError;
    }

    /** Two-sided p-value of {@link #z}: 1 when nothing can be told apart. */
    public static double pValue(long successes1, long trials1, long successes2, long trials2) {
        double z = Math.abs(z(successes1, trials1, successes2, trials2));
        return Math.min(1, 2 * (1 - NormalDistribution.cdf(z)));
    }
}
