package pql.forecast.domain.revenue;

/**
 * P10 / P50 / P90 of revenue = sum of deal_i x Bernoulli(odds_i), the trials converting
 * independently.
 *
 * <ul>
 *   <li><b>exact</b>: the whole distribution by merging distinct sums
 *   ({@link ExactRevenueDistribution}). Always for groups of at most {@value #ALWAYS_EXACT}
 *   trials (at most 256 outcomes); for larger groups when the distribution is sure to have at most
 *   {@code maxDistinctSums} values (revenue values are multiples of the deals' greatest common
 *   divisor, so deals in round amounts keep many trials exact) and the request's work budget
 *   covers the cost (trials x distinct values).</li>
 *   <li>otherwise a <b>normal approximation with a Cornish-Fisher skewness correction</b>: mean
 *   mu = sum p d, variance sigma^2 = sum p(1-p) d^2, third cumulant k3 = sum p(1-p)(1-2p) d^3,
 *   quantile = mu + sigma (z + (z^2 - 1) gamma / 6) with gamma = k3 / sigma^3 and z = -/+1.2816.
 *   Where the correction would put the quantiles out of order (a very skewed group) the plain
 *   normal quantiles are used. Quantiles are clamped to the revenue's possible range and rounded
 *   half-even to the micro. O(n), no budget.</li>
 * </ul>
 *
 * <p>Quantiles are lower quantiles (the smallest r with P(revenue <= r) >= level). For a few
 * trials with extreme odds the P10-P90 band can miss the mean (one Heartbreaker converts with
 * 5%: its P10, P50 and P90 are all 0, below the expected 5% of its deal). The range is then widened to the
 * expected revenue so that it always contains the mean, and its method says so.
 */
public final class RangeEstimator {

    /** Groups this small are always computed exactly: 2^8 outcomes at most. */
    public static final int ALWAYS_EXACT = 8;
    static final double Z90 = 1.2815515655446004;

    private final int maxDistinctSums;

    /** @param maxDistinctSums the exact method's cap on distinct revenue values in a larger group */
    public RangeEstimator(int maxDistinctSums) {
        this.maxDistinctSums = maxDistinctSums;
    }

    /** Merge steps the exact method may take across all the groups of one request. */
    public static final class Budget {
        private long remaining;

        public Budget(long steps) {
            this.remaining = steps;
        }

        public long remaining() {
            return remaining;
        }
    }

    /**
     * @param deals deal sizes in micros (the first {@code count})
     * @param odds conversion odds, 0..1
     * @param expectedMicros the expected revenue of these trials as the forecast reports it
     * @param budget shared by the groups of one request
     */
    public RevenueRange estimate(long[] deals, double[] odds, int count, long expectedMicros, Budget budget) {
        RevenueRange range = null;
        if (count <= ALWAYS_EXACT) {
            range = exact(ExactRevenueDistribution.attempt(deals, odds, count, Integer.MAX_VALUE, Long.MAX_VALUE));
        } else {
            // Only start when the exact method is sure to finish: at most pipeline/gcd + 1 distinct
            // sums, so the cost is known up front and no budget is spent on an attempt that fails.
            long distinct = distinctSumsBound(deals, count);
            if (distinct <= maxDistinctSums && count * distinct <= budget.remaining) {
                ExactRevenueDistribution.Attempt attempt =
                        ExactRevenueDistribution.attempt(deals, odds, count, Integer.MAX_VALUE, Long.MAX_VALUE);
                budget.remaining -= attempt.work();
                range = exact(attempt);
            }
        }
        if (range == null) {
            range = approximate(deals, odds, count);
        }
        return containingMean(range, expectedMicros);
    }

    /** An upper bound of the number of distinct revenue values: sums are multiples of the deals' gcd. */
    static long distinctSumsBound(long[] deals, int count) {
        long gcd = 0;
        long total = 0;
        for (int i = 0; i < count; i++) {
            gcd = gcd(gcd, deals[i]);
            total = Math.addExact(total, deals[i]);
        }
        long byLattice = gcd == 0 ? 1 : total / gcd + 1;
        return count < 62 ? Math.min(byLattice, 1L << count) : byLattice;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long r = a % b;
            a = b;
            b = r;
        }
        return a;
    }

    private static RevenueRange exact(ExactRevenueDistribution.Attempt attempt) {
        ExactRevenueDistribution distribution = attempt.distribution();
        if (distribution == null) {
            return null;
        }
        return new RevenueRange(distribution.quantile(0.10), distribution.quantile(0.50), distribution.quantile(0.90), "exact");
    }

    /** Normal approximation with the Cornish-Fisher correction; O(n). */
    public RevenueRange approximate(long[] deals, double[] odds, int count) {
        double mean = 0;
        double variance = 0;
        double thirdCumulant = 0;
        long lowest = 0;
        long highest = 0;
        for (int i = 0; i < count; i++) {
            double p = odds[i];
            if (p == 0) {
                continue;
            }
            // in currency units: deal^3 stays far inside a double's range
            double deal = deals[i] / 1e6;
            double pq = p * (1 - p);
            mean += p * deal;
            variance += pq * deal * deal;
            thirdCumulant += pq * (1 - 2 * p) * deal * deal * deal;
            highest += deals[i];
            if (p == 1) {
                lowest += deals[i];
            }
        }
        if (variance <= 0) {
            return new RevenueRange(lowest, lowest, lowest, "exact (every trial certain)");
        }
        double sigma = Math.sqrt(variance);
        double gamma = thirdCumulant / (variance * sigma);
        double[] quantiles = cornishFisher(mean, sigma, gamma);
        String method = "normal approximation, Cornish-Fisher skewness-corrected";
        if (!(quantiles[0] <= quantiles[1] && quantiles[1] <= quantiles[2])) {
            quantiles = cornishFisher(mean, sigma, 0);
            method = "normal approximation";
        }
        return new RevenueRange(toMicros(quantiles[0], lowest, highest), toMicros(quantiles[1], lowest, highest),
                toMicros(quantiles[2], lowest, highest), method);
    }

    private static double[] cornishFisher(double mean, double sigma, double gamma) {
        double shift = (Z90 * Z90 - 1) * gamma / 6;
        return new double[] {mean + sigma * (-Z90 + shift), mean - sigma * gamma / 6, mean + sigma * (Z90 + shift)};
    }

    private static long toMicros(double units, long lowest, long highest) {
        long micros = (long) Math.rint(units * 1e6);
        return Math.max(lowest, Math.min(highest, micros));
    }

    static RevenueRange containingMean(RevenueRange range, long expectedMicros) {
        if (range.contains(expectedMicros)) {
            return range;
        }
        return new RevenueRange(Math.min(range.p10(), expectedMicros), range.p50(), Math.max(range.p90(), expectedMicros),
                range.method() + "; widened to contain the expected revenue");
    }
}
