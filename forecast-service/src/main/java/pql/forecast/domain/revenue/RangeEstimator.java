package pql.forecast.domain.revenue;

import java.math.BigDecimal;
import java.math.BigInteger;

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
 *
 * <p>Any deal sizes, however large (a deal may be any long: those stored before ingest bounded
 * them too): the exact method runs on the deals divided by their greatest common divisor and
 * multiplies the quantiles back, so its sums stay small; a group of at most
 * {@value #ALWAYS_EXACT} trials whose sums would still pass a long is enumerated outcome by outcome
 * in big integers, a larger one is approximated; the approximation's bounds are exact sums and its
 * quantiles are converted to micros without a long in between. Quantiles are {@link BigInteger}s.
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
    public RevenueRange estimate(long[] deals, double[] odds, int count, BigInteger expectedMicros, Budget budget) {
        RevenueRange range = null;
        Lattice lattice = Lattice.of(deals, count);
        if (count <= ALWAYS_EXACT) {
            range = lattice.sumsFitALong()
                    ? exact(lattice, ExactRevenueDistribution.attempt(lattice.scaled(deals, count), odds, count,
                            Integer.MAX_VALUE, Long.MAX_VALUE))
                    : enumerated(deals, odds, count);
        } else {
            // Only start when the exact method is sure to finish: at most pipeline/gcd + 1 distinct
            // sums, so the cost is known up front and no budget is spent on an attempt that fails.
            long distinct = lattice.distinctSumsBound(count);
            if (lattice.sumsFitALong() && distinct <= maxDistinctSums && count * distinct <= budget.remaining) {
                ExactRevenueDistribution.Attempt attempt = ExactRevenueDistribution.attempt(lattice.scaled(deals, count),
                        odds, count, Integer.MAX_VALUE, Long.MAX_VALUE);
                budget.remaining -= attempt.work();
                range = exact(lattice, attempt);
            }
        }
        if (range == null) {
            range = approximate(deals, odds, count);
        }
        return containingMean(range, expectedMicros);
    }

    /** An upper bound of the number of distinct revenue values: sums are multiples of the deals' gcd. */
    static long distinctSumsBound(long[] deals, int count) {
        return Lattice.of(deals, count).distinctSumsBound(count);
    }

    /**
     * Revenue values are sums of deals, so multiples of their greatest common divisor: the exact
     * method works on the deals divided by it (sums of at most pipeline / gcd) and multiplies back.
     */
    private record Lattice(long gcd, BigInteger scaledTotal) {

        static Lattice of(long[] deals, int count) {
            long gcd = 0;
            for (int i = 0; i < count; i++) {
                gcd = gcd(gcd, deals[i]);
            }
            gcd = gcd == 0 ? 1 : gcd;
            return new Lattice(gcd, ExactSum.of(deals, count).divide(BigInteger.valueOf(gcd)));
        }

        boolean sumsFitALong() {
            return scaledTotal.bitLength() < Long.SIZE;
        }

        long distinctSumsBound(int count) {
            BigInteger byLattice = scaledTotal.add(BigInteger.ONE);
            long bound = byLattice.bitLength() < Long.SIZE ? byLattice.longValue() : Long.MAX_VALUE;
            return count < 62 ? Math.min(bound, 1L << count) : bound;
        }

        long[] scaled(long[] deals, int count) {
            long[] scaled = new long[count];
            for (int i = 0; i < count; i++) {
                scaled[i] = deals[i] / gcd;
            }
            return scaled;
        }

        BigInteger unscaled(long value) {
            return BigInteger.valueOf(value).multiply(BigInteger.valueOf(gcd));
        }

        private static long gcd(long a, long b) {
            a = Math.abs(a);
            b = Math.abs(b);
            while (b != 0) {
                long r = a % b;
                a = b;
                b = r;
            }
            return a;
        }
    }

    private static RevenueRange exact(Lattice lattice, ExactRevenueDistribution.Attempt attempt) {
        ExactRevenueDistribution distribution = attempt.distribution();
        if (distribution == null) {
            return null;
        }
        return new RevenueRange(lattice.unscaled(distribution.quantile(0.10)), lattice.unscaled(distribution.quantile(0.50)),
                lattice.unscaled(distribution.quantile(0.90)), "exact");
    }

    /** Every one of the 2^count outcomes of a small group whose sums pass a long, in big integers. */
    private static RevenueRange enumerated(long[] deals, double[] odds, int count) {
        BigInteger[] quantiles = ExactRevenueDistribution.enumerate(deals, odds, count, 0.10, 0.50, 0.90);
        return new RevenueRange(quantiles[0], quantiles[1], quantiles[2], "exact");
    }

    /** Normal approximation with the Cornish-Fisher correction; O(n). */
    public RevenueRange approximate(long[] deals, double[] odds, int count) {
        double mean = 0;
        double variance = 0;
        double thirdCumulant = 0;
        ExactSum lowestSum = new ExactSum();
        ExactSum highestSum = new ExactSum();
        for (int i = 0; i < count; i++) {
            double p = odds[i];
            if (p == 0) {
                continue;
            }
            // in currency units: deal^3 stays far inside a double's range (even 9.2e12^3 x 10^7 trials)
            double deal = deals[i] / 1e6;
            double pq = p * (1 - p);
            mean += p * deal;
            variance += pq * deal * deal;
            thirdCumulant += pq * (1 - 2 * p) * deal * deal * deal;
            highestSum.add(deals[i]);
            if (p == 1) {
                lowestSum.add(deals[i]);
            }
        }
        BigInteger lowest = lowestSum.value();
        BigInteger highest = highestSum.value();
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

    /** Rounded to the micro and clamped to the possible range; exact beyond a long (a double's integer is). */
    private static BigInteger toMicros(double units, BigInteger lowest, BigInteger highest) {
        BigInteger micros = new BigDecimal(Math.rint(units * 1e6)).toBigInteger();
        return micros.max(lowest).min(highest);
    }

    static RevenueRange containingMean(RevenueRange range, BigInteger expectedMicros) {
        if (range.contains(expectedMicros)) {
            return range;
        }
        return new RevenueRange(range.p10().min(expectedMicros), range.p50(), range.p90().max(expectedMicros),
                range.method() + "; widened to contain the expected revenue");
    }
}
