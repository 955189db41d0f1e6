package pql.statistics;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Benjamini-Hochberg step-up procedure: which of m hypotheses to reject so that the expected share
 * of false discoveries among the rejected stays at or below the false-discovery rate q (valid for
 * independent or positively dependent tests, as overlapping thresholds of one action are). Testing
 * many candidate rules at 5% each would otherwise "discover" about one noise rule in twenty.
 */
public final class BenjaminiHochberg {

    private BenjaminiHochberg() {
    }

    /**
     * Adjusted p-values (q-values) in the input order: reject hypothesis i at rate q exactly when
     * {@code adjusted[i] <= q}. The adjusted value is min over k >= rank of p_(k) m / k, capped at 1.
     */
    public static double[] adjust(double[] pValues) {
        int m = pValues.length;
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            if (!(pValues[i] >= 0 && pValues[i] <= 1)) {
                throw new IllegalArgumentException("p-value " + i + " is not in [0, 1]: " + pValues[i]);
            }
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> pValues[i]));
        double[] adjusted = new double[m];
        double running = 1;
        for (int rank = m; rank >= 1; rank--) {
            int index = order[rank - 1];
            running = Math.min(running, pValues[index] * m / rank);
            adjusted[index] = running;
        }
        return adjusted;
    }

    /** Which hypotheses are rejected at false-discovery rate {@code q}, in the input order. */
    public static boolean[] reject(double[] pValues, double q) {
        double[] adjusted = adjust(pValues);
        boolean[] rejected = new boolean[adjusted.length];
        for (int i = 0; i < adjusted.length; i++) {
            rejected[i] = adjusted[i] <= q;
        }
        return rejected;
    }
}
