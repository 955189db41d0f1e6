package pql.scoring.domain.discovery;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import pql.scoring.domain.definition.ScoringDefinition;
import pql.scoring.domain.definition.ScoringDefinition.ActionWeight;
import pql.scoring.domain.definition.ScoringDefinition.ActivationStep;
import pql.scoring.domain.definition.ScoringDefinition.BehaviouralTrigger;
import pql.scoring.domain.definition.ScoringDefinition.EngagementRule;
import pql.scoring.domain.definition.ScoringDefinition.PqlRule;

/**
 * A definition to start from, built from what discovery found on top of a base definition (the
 * active one): the checklist is the best predictive "at least N" rules, the triggers the best
 * windowed rules that beat them, engagement weights follow each action's lift and actions that
 * predict nothing weigh 0. Everything else is the base's. Each list entry carries a note saying why.
 *
 * @param notes why each step, weight and trigger is there, by list and index
 */
public record DefinitionDraft(ScoringDefinition definition, List<Note> notes) {

    public static final String STEPS = "activation.steps";
    public static final String WEIGHTS = "engagement.weights";
    public static final String TRIGGERS = "pql.triggers";
    /** Weights follow lift but stay in a range people can read next to the preset's 0.1-5. */
    static final double MAX_WEIGHT = 10;

    /** Why the {@code index}-th entry of {@code list} (e.g. "activation.steps") is in the draft. */
    public record Note(String list, int index, String text) {
    }

    public DefinitionDraft {
        notes = List.copyOf(notes);
    }

    public static DefinitionDraft from(ScoringDefinition base, DiscoveryReport report, DiscoverySettings settings, String period) {
        List<Note> notes = new ArrayList<>();
        List<ActivationStep> steps = new ArrayList<>();
        for (RuleFinding finding : report.checklistCandidates()) {
            if (steps.size() == settings.maxChecklistSteps()) {
                break;
            }
            CandidateRule rule = finding.rule();
            String key = rule.minCount() > 1 ? rule.action() + "_" + (long) rule.minCount() : rule.action();
            notes.add(new Note(STEPS, steps.size(), finding.why()));
            steps.add(new ActivationStep(key, rule.action(), rule.minCount(), "Discovered: " + rule.describe()));
        }
        if (steps.isEmpty()) {
            steps.addAll(base.steps());
            for (int i = 0; i < steps.size(); i++) {
                notes.add(new Note(STEPS, i, "kept from the base definition: no predictive rule found"));
            }
        }
        List<BehaviouralTrigger> triggers = new ArrayList<>();
        for (RuleFinding finding : report.triggerCandidates().subList(0, Math.min(settings.maxTriggers(),
                report.triggerCandidates().size()))) {
            notes.add(new Note(TRIGGERS, triggers.size(), finding.why()));
            triggers.add(new BehaviouralTrigger(finding.rule().action(), finding.rule().minCount(), finding.rule().withinDays()));
        }
        EngagementRule engagement = base.engagement();
        List<ActionWeight> weights = new ArrayList<>();
        for (RuleFinding finding : report.predictors()) {
            double weight = Math.min(MAX_WEIGHT, Math.round(finding.lift() * 10) / 10.0);
            notes.add(new Note(WEIGHTS, weights.size(), "weight = lift of its best rule, " + finding.rule().describe() + ": " + finding.why()));
            weights.add(new ActionWeight(finding.rule().action(), weight));
        }
        for (String action : report.weightZeroActions()) {
            if (!engagement.excludedActions().contains(action)) {
                notes.add(new Note(WEIGHTS, weights.size(), String.format(Locale.ROOT,
                        "predicts nothing: no rule on it survives Benjamini-Hochberg at FDR %.0f%% (engagement-weight-0 candidate)",
                        report.falseDiscoveryRate() * 100)));
                weights.add(new ActionWeight(action, 0));
            }
        }
        PqlRule pql = base.pql();
        ScoringDefinition draft = new ScoringDefinition(
                "suggested " + period,
                String.format(Locale.ROOT, "Discovered from %d trials closed %s (%d converted, base rate %.0f%%), FDR %.0f%%; based on '%s'.",
                        report.trials(), period, report.converted(), report.baseRate() * 100, report.falseDiscoveryRate() * 100,
                        base.name()),
                base.productComplexity(), steps,
                new EngagementRule(weights, engagement.defaultWeight(), engagement.excludedActions(), engagement.windowDays(),
                        engagement.halfLifeDays(), engagement.cohort()),
                base.communication(), base.levels(),
                new PqlRule(pql.smallThreshold(), pql.midThreshold(), pql.largeThreshold(), triggers),
                base.opportunityBands(), base.personaOdds());
        return new DefinitionDraft(draft, notes);
    }
}
