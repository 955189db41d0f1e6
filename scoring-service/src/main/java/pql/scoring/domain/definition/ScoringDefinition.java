package pql.scoring.domain.definition;

import java.util.List;
import java.util.Map;
import pql.scoring.domain.OpportunitySize;
import pql.scoring.domain.PercentileCohort;
import pql.scoring.domain.Persona;
import pql.scoring.domain.ProductComplexity;

/**
 * What makes an account activated, engaged, communicative and product qualified. Immutable; a
 * published version never changes.
 *
 * <p>As a draft (before {@link DefinitionValidator#validate}) any section may be null, meaning "not
 * given": the validator fills it from the preset of the product complexity. A validated definition
 * has every section.
 */
public record ScoringDefinition(
        String name,
        String description,
        ProductComplexity productComplexity,
        List<ActivationStep> steps,
        EngagementRule engagement,
        CommunicationRule communication,
        LevelCutoffs levels,
        PqlRule pql,
        OpportunityBands opportunityBands,
        Map<Persona, Double> personaOdds) {

    public ScoringDefinition {
        steps = steps == null ? null : List.copyOf(steps);
        personaOdds = personaOdds == null ? null : Map.copyOf(personaOdds);
    }

    public ScoringDefinition withName(String newName, String newDescription) {
        return new ScoringDefinition(newName, newDescription, productComplexity, steps, engagement, communication,
                levels, pql, opportunityBands, personaOdds);
    }

    /** A step of the activation checklist: done when the account's users together reach min_count. */
    public record ActivationStep(String key, String action, double minCount, String description) {
    }

    public record ActionWeight(String action, double weight) {
    }

    /**
     * Engagement = sum of weight x quantity x decay over the actions that count.
     *
     * @param windowDays only events within this many days before the evaluation instant; 0 = all
     * @param halfLifeDays each event's contribution halves every this many days; 0 = no decay
     * @param cohort null in a draft means the default (opportunity size)
     */
    public record EngagementRule(List<ActionWeight> weights, double defaultWeight, List<String> excludedActions,
            int windowDays, double halfLifeDays, PercentileCohort cohort) {

        public EngagementRule {
            weights = List.copyOf(weights);
            excludedActions = List.copyOf(excludedActions);
        }
    }

    public record CommunicationRule(int windowDays, int activeThreshold) {
    }

    /** HIGH when value >= high, MEDIUM when >= medium, else LOW. */
    public record Cutoffs(double high, double medium) {
    }

    public record LevelCutoffs(Cutoffs activation, Cutoffs engagement) {
    }

    /**
     * Activation thresholds per opportunity size (0..1) and behavioural triggers.
     */
    public record PqlRule(double smallThreshold, double midThreshold, double largeThreshold,
            List<BehaviouralTrigger> triggers) {

        public PqlRule {
            triggers = List.copyOf(triggers);
        }

        public double thresholdFor(OpportunitySize size) {
            return switch (size) {
                case SMALL -> smallThreshold;
                case MID -> midThreshold;
                case LARGE -> largeThreshold;
            };
        }
    }

    /** e.g. {message_sent, 2000, 0} or {invoice_submitted, 10, 14}: hitting one qualifies (seed 003). */
    public record BehaviouralTrigger(String action, double count, int withinDays) {

        public String describe() {
            String base = action + " >= " + Numbers.plain(count);
            return withinDays > 0 ? base + " within " + withinDays + " days" : base;
        }
    }

    /** Derives the opportunity size from the deal size when a profile does not state it. */
    public record OpportunityBands(long midFromMicros, long largeFromMicros) {

        public OpportunitySize sizeOf(long dealSizeMicros) {
            if (dealSizeMicros >= largeFromMicros) {
                return OpportunitySize.LARGE;
            }
            return dealSizeMicros >= midFromMicros ? OpportunitySize.MID
                    : OpportunitySize.SMALL;
        }
    }
}
