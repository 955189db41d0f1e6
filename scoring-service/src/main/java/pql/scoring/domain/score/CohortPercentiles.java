package pql.scoring.domain.score;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Engagement scores of every account, sorted per cohort, to rank one account among comparable ones
 * (the PQL spectrum, seed 001). The percentile is the share of the other accounts of the cohort that
 * the account beats, ties counting half, on a 0..100 scale rounded to one decimal: the most engaged
 * account is 100, the least 0, an account alone in its cohort 100.
 */
public final class CohortPercentiles {

    public static final CohortPercentiles EMPTY = new CohortPercentiles(Map.of());

    private final Map<String, double[]> sortedScores;

    private CohortPercentiles(Map<String, double[]> sortedScores) {
        this.sortedScores = sortedScores;
    }

    public static CohortPercentiles of(List<AccountSummary> accounts) {
        Map<String, double[]> scores = new HashMap<>();
        Map<String, Integer> sizes = new HashMap<>();
        for (AccountSummary account : accounts) {
            sizes.merge(account.cohort(), 1, Integer::sum);
        }
        Map<String, Integer> filled = new HashMap<>();
        for (AccountSummary account : accounts) {
            double[] values = scores.computeIfAbsent(account.cohort(), k -> new double[sizes.get(k)]);
            int at = filled.merge(account.cohort(), 1, Integer::sum) - 1;
            values[at] = account.engagementScore();
        }
        scores.values().forEach(Arrays::sort);
        return new CohortPercentiles(scores);
    }

    /** For an account that is part of the distribution (the projection's own accounts). */
    public double ofMember(String cohort, double score) {
        double[] values = sortedScores.get(cohort);
        if (values == null || values.length <= 1) {
            return 100;
        }
        int below = lowerBound(values, score);
        int equal = upperBound(values, score) - below;
        if (equal == 0) {
            return ofOutsider(cohort, score);
        }
        return round(100.0 * (below + 0.5 * (equal - 1)) / (values.length - 1));
    }

    /** For a score that is not part of the distribution (an account evaluated as of another instant). */
    public double ofOutsider(String cohort, double score) {
        double[] values = sortedScores.get(cohort);
        if (values == null || values.length == 0) {
            return 100;
        }
        int below = lowerBound(values, score);
        int equal = upperBound(values, score) - below;
        return round(100.0 * (below + 0.5 * equal) / values.length);
    }

    public int cohortSize(String cohort) {
        double[] values = sortedScores.get(cohort);
        return values == null ? 0 : values.length;
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    private static int lowerBound(double[] values, double key) {
        int low = 0;
        int high = values.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (values[mid] < key) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private static int upperBound(double[] values, double key) {
        int low = 0;
        int high = values.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (values[mid] <= key) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }
}
