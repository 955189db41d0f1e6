package pql.forecast.domain.revenue;

import java.math.BigInteger;
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
            // merge (sums[a], prob*q) with (sums[b] + deal, prob*p), both ascending; no sentinel value:
            // a sum may be Long.MAX_VALUE itself
            while (a < size || b < size) {
                int order = a == size ? 1 : b == size ? -1 : Long.compare(sums[a], Math.addExact(sums[b], deal));
                if (order < 0) {
                    nextSums[out] = sums[a];
                    nextProbabilities[out++] = probabilities[a++] * q;
                } else if (order > 0) {
                    nextSums[out] = sums[b] + deal;
                    nextProbabilities[out++] = probabilities[b++] * p;
                } else {
                    nextSums[out] = sums[a];
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

    /**
     * The lower quantiles at {@code levels} by enumerating all 2^count outcomes in big integers: for
     * a handful of trials whose sums pass a long (deals near Long.MAX_VALUE micros).
     */
    static BigInteger[] enumerate(long[] deals, double[] odds, int count, double... levels) {
        if (count > 16) {
            throw new IllegalArgumentException("enumeration is for a handful of trials, not " + count);
        }
        int outcomes = 1 << count;
        BigInteger[] values = new BigInteger[outcomes];
        double[] probabilities = new double[outcomes];
        for (int outcome = 0; outcome < outcomes; outcome++) {
            BigInteger value = BigInteger.ZERO;
            double probability = 1;
            for (int i = 0; i < count; i++) {
                if ((outcome & 1 << i) != 0) {
                    value = value.add(BigInteger.valueOf(deals[i]));
                    probability *= odds[i];
                } else {
                    probability *= 1 - odds[i];
                }
            }
            values[outcome] = value;
            probabilities[outcome] = probability;
        }
        Integer[] order = new Integer[outcomes];
        for (int i = 0; i < outcomes; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> values[a].compareTo(values[b]));
        BigInteger[] quantiles = new BigInteger[levels.length];
        double cumulative = 0;
        int next = 0;
        for (int i = 0; i < outcomes && next < levels.length; i++) {
            cumulative += probabilities[order[i]];
            // a quantile is reached only at the last outcome of a value: the cumulative probability of that value
            boolean lastOfValue = i + 1 == outcomes || values[order[i + 1]].compareTo(values[order[i]]) != 0;
            while (lastOfValue && next < levels.length && cumulative >= levels[next] - TOLERANCE) {
                quantiles[next++] = values[order[i]];
            }
        }
        while (next < levels.length) {
            quantiles[next++] = values[order[outcomes - 1]];
        }
        return quantiles;
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
