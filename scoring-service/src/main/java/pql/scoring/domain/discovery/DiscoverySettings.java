package pql.scoring.domain.discovery;

import java.util.List;

/**
 * How discovery searches and how strict it is.
 *
 * @param falseDiscoveryRate Benjamini-Hochberg's q: of the rules called predictive, at most this
 *        share is expected to be chance (default 5%)
 * @param minimumSupport a rule is tested only when at least this many closed trials met it and at
 *        least this many did not (default 20); fewer is "not enough data" and not a comparison
 * @param counts the grid of N in "count >= N"; {@code days} the grid of D in "within D days" (0 = any time)
 * @param minimumLift a predictive rule must also lift conversion at least this much to enter the draft
 */
public record DiscoverySettings(double falseDiscoveryRate, int minimumSupport, List<Integer> counts, List<Integer> days,
        double minimumLift, int maxChecklistSteps, int maxTriggers) {

    public static final double DEFAULT_FDR = 0.05;
    /** The confidence of the Wilson intervals reported. */
    public static final double CONFIDENCE = 0.95;

    public DiscoverySettings {
        if (!(falseDiscoveryRate > 0 && falseDiscoveryRate < 1)) {
            throw new IllegalArgumentException("false discovery rate must be in (0, 1)");
        }
        counts = List.copyOf(counts);
        days = List.copyOf(days);
    }

    public static DiscoverySettings defaults(double falseDiscoveryRate) {
        return new DiscoverySettings(falseDiscoveryRate, 20, List.of(1, 2, 3, 5, 10, 20, 50), List.of(0, 7, 14), 1.25, 6, 2);
    }

    /** Every rule of the grid for one action; "at least 1 within D days" is the same as "at least 1", so it is asked once. */
    List<CandidateRule> rulesFor(String action) {
        List<CandidateRule> rules = new java.util.ArrayList<>();
        for (int count : counts) {
            for (int within : days) {
                if (count > 1 || within == 0) {
                    rules.add(new CandidateRule(action, count, within));
                }
            }
        }
        return rules;
    }
}
