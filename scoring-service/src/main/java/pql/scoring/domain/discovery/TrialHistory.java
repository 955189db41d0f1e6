package pql.scoring.domain.discovery;

import java.util.Map;

/**
 * One closed trial as discovery sees it: whether its first outcome was a conversion (a later churn
 * does not undo that) and what its users did before that outcome, per action.
 */
public record TrialHistory(String accountId, long closedAtMillis, boolean converted, Map<String, ActionTimeline> actions) {

    public TrialHistory {
        actions = Map.copyOf(actions);
    }

    public boolean meets(CandidateRule rule) {
        ActionTimeline timeline = actions.get(rule.action());
        return timeline != null && timeline.reaches(rule.minCount(), rule.withinDays());
    }
}
