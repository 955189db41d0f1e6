package pql.scoring.domain.discovery;

import java.util.List;

/**
 * What discovery found over a set of closed trials. Lists are ranked: by the low end of the
 * conversion rate's Wilson interval among trials that met the rule (high and sure first).
 *
 * @param rules every rule of the grid, tested or not
 * @param predictors the best predictive rule of each action
 * @param checklistCandidates the best predictive "at least N any time" rule of each action
 * @param triggerCandidates the best predictive windowed rule of each action that beats its any-time rule
 * @param weightZeroActions actions tested that predict nothing (engagement-weight-0 candidates)
 */
public record DiscoveryReport(long trials, long converted, double falseDiscoveryRate, List<RuleFinding> rules,
        List<RuleFinding> predictors, List<RuleFinding> checklistCandidates, List<RuleFinding> triggerCandidates,
        List<String> weightZeroActions) {

    public DiscoveryReport {
        rules = List.copyOf(rules);
        predictors = List.copyOf(predictors);
        checklistCandidates = List.copyOf(checklistCandidates);
        triggerCandidates = List.copyOf(triggerCandidates);
        weightZeroActions = List.copyOf(weightZeroActions);
    }

    public double baseRate() {
        return trials == 0 ? 0 : (double) converted / trials;
    }
}
