package pql.statistics;

import java.util.Arrays;

/**
 * Quantiles by nearest rank: the value at rank ceil(q x n) of the sorted sample, always one of the
 * observations (a median lead time is a lead time some trial had, not an average of two).
 */
public final class Quantiles {

    private Quantiles() {
    }

    /** The {@code quantile} (0..1) of {@code values} (not modified); empty is refused. */
    public static long nearestRank(long[] values, double quantile) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        if (!(quantile >= 0 && quantile <= 1)) {
            throw new IllegalArgumentException("quantile must be in 0..1, got " + quantile);
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(quantile * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
