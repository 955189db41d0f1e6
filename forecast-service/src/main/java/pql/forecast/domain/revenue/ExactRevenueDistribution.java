package pql.forecast.domain.revenue;

import java.util.Arrays;

/**
 * The exact distribution of revenue = sum of deal_i x Bernoulli(p_i), as the sorted list of its
 * distinct values with their probabilities.
 *
 * <p>Built one trial at a time: the values so far, and the same values shifted by the new deal,
 * are two sorted lists merged in one pass (equal sums combine). The work is the number of
 * distinct sums, never 2^n for its own sake: 40 trials with deals in whole thousands have a few
 * thousand distinct sums. Building can stop once the distinct sums pass a cap.
 */
public final class ExactRevenueDistribution {

    /** Cumulative probabilities this close below a quantile level still reach it (float error). */
    private static final double TOLERANCE = 1e-9;

    private final long[] values;
    private final double[] cumulative;

    private ExactRevenueDistribution(long[] values, double[] cumulative) {
        this.values = values;
        this.cumulative = cumulative;
    }

    /** The distribution, or null when a cap was hit, and the merge steps spent either way. */
    public record Attempt(ExactRevenueDistribution distribution, long work) {
    }

    /**
     * @param maxDistinct give up when more distinct sums than this appear
     * @param maxWork give up when merging takes more steps than this
     */
    public static Attempt attempt(long[] deals, double[] odds, int count, int maxDistinct, long maxWork) {
        long[] sums = new long[16];
        double[] probabilities = new double[16];
        sums[0] = 0;
        probabilities[0] = 1.0;
        int size = 1;
        long[] nextSums = new long[16];
        double[] nextProbabilities = new double[16];
        long work = 0;
        for (int i = 0; i < count; i++) {
            long deal = deals[i];
            double p = odds[i];
            if (p == 0 || deal == 0) {
                continue;
            }
            if (nextSums.length < size * 2) {
                nextSums = new long[Math.max(size * 2, nextSums.length * 2)];
                nextProbabilities = new double[nextSums.length];
            }
            double q = 1 - p;
            int a = 0;
            int b = 0;
            int out = 0;
            // merge (sums[a], prob*q) with (sums[b] + deal, prob*p), both ascending
            while (a < size || b < size) {
                long fromA = a < size ? sums[a] : Long.MAX_VALUE;
                long fromB = b < size ? Math.addExact(sums[b], deal) : Long.MAX_VALUE;
                if (fromA < fromB) {
                    nextSums[out] = fromA;
                    nextProbabilities[out++] = probabilities[a++] * q;
                } else if (fromB < fromA) {
                    nextSums[out] = fromB;
                    nextProbabilities[out++] = probabilities[b++] * p;
                } else {
                    nextSums[out] = fromA;
                    nextProbabilities[out++] = probabilities[a++] * q + probabilities[b++] * p;
                }
            }
            work += out;
            if (out > maxDistinct || work > maxWork) {
                return new Attempt(null, work);
            }
            long[] swapSums = sums;
            sums = nextSums;
            nextSums = swapSums;
            double[] swapProbabilities = probabilities;
            probabilities = nextProbabilities;
            nextProbabilities = swapProbabilities;
            size = out;
        }
        double[] cumulative = new double[size];
        double running = 0;
        for (int i = 0; i < size; i++) {
            running += probabilities[i];
            cumulative[i] = running;
        }
        return new Attempt(new ExactRevenueDistribution(Arrays.copyOf(sums, size), cumulative), work);
    }

    /** Without caps; for tests and small portfolios. */
    public static ExactRevenueDistribution build(long[] deals, double[] odds) {
        return attempt(deals, odds, deals.length, Integer.MAX_VALUE, Long.MAX_VALUE).distribution();
    }

    /** The smallest revenue r with P(revenue <= r) >= level (the lower quantile). */
    public long quantile(double level) {
        for (int i = 0; i < values.length; i++) {
            if (cumulative[i] >= level - TOLERANCE) {
                return values[i];
            }
        }
        return values[values.length - 1];
    }

    /** P(revenue <= value). */
    public double cumulativeProbability(long value) {
        int index = Arrays.binarySearch(values, value);
        int last = index >= 0 ? index : -index - 2;
        return last < 0 ? 0 : cumulative[last];
    }

    public int distinctValues() {
        return values.length;
    }
}
