package pql.scoring.domain.definition;

import java.util.ArrayList;
import java.util.List;
import pql.scoring.domain.definition.ScoringDefinition.ActionWeight;
import pql.scoring.domain.definition.ScoringDefinition.ActivationStep;
import pql.scoring.domain.definition.ScoringDefinition.BehaviouralTrigger;
import pql.scoring.domain.definition.ScoringDefinition.Cutoffs;
import pql.scoring.domain.definition.ScoringDefinition.EngagementRule;
import pql.scoring.domain.definition.ScoringDefinition.LevelCutoffs;
import pql.scoring.domain.definition.ScoringDefinition.PqlRule;

/**
 * The largest numbers a definition may hold, so that no score can become Infinity or NaN: with a
 * product action counting at most 10^9 (ingest's bound, AccountEvent.MAX_QUANTITY) and a weight of
 * at most 10^6, one event is worth at most 10^15 points; a sum of them stays finite for more events
 * than any log will hold. Counts and cut-offs are bounded to what quantities and points can reach.
 *
 * <p>Definitions published before these bounds existed stay in the log: {@link #clamp} brings one
 * within them when it is loaded, so it is served (with its out-of-bound numbers at the bound, where
 * they meant "practically infinite") rather than refused.
 */
public final class DefinitionBounds {

    /** An engagement weight (and the default weight): points per unit of quantity. */
    public static final double MAX_WEIGHT = 1e6;
    /** A checklist step's min_count and a trigger's count: sums of quantities. */
    public static final double MAX_COUNT = 1e12;
    /** The engagement level cut-offs: points. */
    public static final double MAX_ENGAGEMENT_CUTOFF = 1e15;

    private DefinitionBounds() {
    }

    /** {@code definition} with every bounded number above its bound set to the bound; null sections stay null. */
    public static ScoringDefinition clamp(ScoringDefinition definition) {
        List<ActivationStep> steps = definition.steps() == null ? null : definition.steps().stream()
                .map(step -> new ActivationStep(step.key(), step.action(), atMost(step.minCount(), MAX_COUNT),
                        step.description()))
                .toList();
        EngagementRule engagement = definition.engagement();
        if (engagement != null) {
            List<ActionWeight> weights = new ArrayList<>();
            engagement.weights().forEach(w -> weights.add(new ActionWeight(w.action(), atMost(w.weight(), MAX_WEIGHT))));
            engagement = new EngagementRule(weights, atMost(engagement.defaultWeight(), MAX_WEIGHT),
                    engagement.excludedActions(), engagement.windowDays(), engagement.halfLifeDays(), engagement.cohort());
        }
        LevelCutoffs levels = definition.levels();
        if (levels != null && levels.engagement() != null) {
            Cutoffs cutoffs = levels.engagement();
            levels = new LevelCutoffs(levels.activation(), new Cutoffs(atMost(cutoffs.high(), MAX_ENGAGEMENT_CUTOFF),
                    atMost(cutoffs.medium(), MAX_ENGAGEMENT_CUTOFF)));
        }
        PqlRule pql = definition.pql();
        if (pql != null) {
            pql = new PqlRule(pql.smallThreshold(), pql.midThreshold(), pql.largeThreshold(), pql.triggers().stream()
                    .map(t -> new BehaviouralTrigger(t.action(), atMost(t.count(), MAX_COUNT), t.withinDays()))
                    .toList());
        }
        return new ScoringDefinition(definition.name(), definition.description(), definition.productComplexity(), steps,
                engagement, definition.communication(), levels, pql, definition.opportunityBands(),
                definition.personaOdds());
    }

    /** Finite values above {@code max} become {@code max}; anything else is left for validation to judge. */
    private static double atMost(double value, double max) {
        return Double.isFinite(value) && value > max ? max : value;
    }
}
