package pql.scoring.wire;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import pql.scoring.domain.PercentileCohort;
import pql.scoring.domain.Persona;
import pql.scoring.domain.ProductComplexity;
import pql.scoring.domain.definition.DefinitionValidator;
import pql.scoring.domain.definition.ScoringDefinition;
import pql.scoring.domain.definition.ScoringDefinition.ActionWeight;
import pql.scoring.domain.definition.ScoringDefinition.ActivationStep;
import pql.scoring.domain.definition.ScoringDefinition.BehaviouralTrigger;
import pql.scoring.domain.definition.ScoringDefinition.CommunicationRule;
import pql.scoring.domain.definition.ScoringDefinition.Cutoffs;
import pql.scoring.domain.definition.ScoringDefinition.EngagementRule;
import pql.scoring.domain.definition.ScoringDefinition.LevelCutoffs;
import pql.scoring.domain.definition.ScoringDefinition.OpportunityBands;
import pql.scoring.domain.definition.ScoringDefinition.PqlRule;
import pql.scoring.domain.definition.Violation;
import pql.v1.PersonaOdds;

/**
 * Scoring definitions between their wire form (pql.v1.ScoringDefinition) and the domain. Sections a
 * message leaves out (proto3 message presence) become null in the draft, so the validator fills them
 * from the preset; enum values the domain does not know are reported as violations here, where they
 * are still visible.
 */
public final class DefinitionProtos {

    private DefinitionProtos() {
    }

    /** The draft in {@code proto}; problems only the wire form can have are added to {@code violations}. */
    public static ScoringDefinition toDraft(pql.v1.ScoringDefinition proto, List<Violation> violations) {
        ProductComplexity complexity = switch (proto.getProductComplexity()) {
            case PRODUCT_COMPLEXITY_SIMPLE -> ProductComplexity.SIMPLE;
            case PRODUCT_COMPLEXITY_INTERMEDIATE -> ProductComplexity.INTERMEDIATE;
            case PRODUCT_COMPLEXITY_COMPLEX -> ProductComplexity.COMPLEX;
            case PRODUCT_COMPLEXITY_UNSPECIFIED -> null;
            case UNRECOGNIZED -> {
                violations.add(new Violation("product_complexity",
                        "unknown value " + proto.getProductComplexityValue()));
                yield null;
            }
        };
        List<ActivationStep> steps = null;
        if (proto.hasActivation()) {
            steps = new ArrayList<>();
            for (pql.v1.ActivationStep step : proto.getActivation().getStepsList()) {
                steps.add(new ActivationStep(step.getKey(), step.getAction(), step.getMinCount(), step.getDescription()));
            }
        }
        EngagementRule engagement = null;
        if (proto.hasEngagement()) {
            pql.v1.EngagementRule rule = proto.getEngagement();
            List<ActionWeight> weights = new ArrayList<>();
            rule.getWeightsList().forEach(w -> weights.add(new ActionWeight(w.getAction(), w.getWeight())));
            PercentileCohort cohort = switch (rule.getPercentileCohort()) {
                case PERCENTILE_COHORT_OPPORTUNITY_SIZE, PERCENTILE_COHORT_UNSPECIFIED -> PercentileCohort.OPPORTUNITY_SIZE;
                case PERCENTILE_COHORT_ALL -> PercentileCohort.ALL;
                case PERCENTILE_COHORT_PLAN -> PercentileCohort.PLAN;
                case UNRECOGNIZED -> {
                    violations.add(new Violation("engagement.percentile_cohort",
                            "unknown value " + rule.getPercentileCohortValue()));
                    yield PercentileCohort.OPPORTUNITY_SIZE;
                }
            };
            engagement = new EngagementRule(weights, rule.getDefaultWeight(), rule.getExcludedActionsList(),
                    rule.getWindowDays(), rule.getHalfLifeDays(), cohort);
        }
        CommunicationRule communication = proto.hasCommunication()
                ? new CommunicationRule(proto.getCommunication().getWindowDays(),
                        proto.getCommunication().getActiveThreshold())
                : null;
        LevelCutoffs levels = null;
        if (proto.hasLevels()) {
            pql.v1.LevelCutoffs given = proto.getLevels();
            levels = new LevelCutoffs(
                    given.hasActivation() ? new Cutoffs(given.getActivation().getHigh(), given.getActivation().getMedium())
                            : null,
                    given.hasEngagement() ? new Cutoffs(given.getEngagement().getHigh(), given.getEngagement().getMedium())
                            : null);
        }
        PqlRule pqlRule = null;
        if (proto.hasPql()) {
            pql.v1.PqlRule rule = proto.getPql();
            List<BehaviouralTrigger> triggers = new ArrayList<>();
            rule.getTriggersList().forEach(t -> triggers.add(new BehaviouralTrigger(t.getAction(), t.getCount(),
                    t.getWithinDays())));
            pqlRule = new PqlRule(rule.getSmallThreshold(), rule.getMidThreshold(), rule.getLargeThreshold(), triggers);
        }
        OpportunityBands bands = proto.hasOpportunityBands()
                ? new OpportunityBands(proto.getOpportunityBands().getMidFromMicros(),
                        proto.getOpportunityBands().getLargeFromMicros())
                : null;
        List<Map.Entry<Persona, Double>> oddsList = new ArrayList<>();
        for (int i = 0; i < proto.getPersonaOddsCount(); i++) {
            PersonaOdds odds = proto.getPersonaOdds(i);
            Persona persona = persona(odds.getPersona());
            if (odds.getPersona() == pql.v1.Persona.UNRECOGNIZED) {
                violations.add(new Violation("persona_odds[" + i + "].persona",
                        "unknown value " + odds.getPersonaValue()));
            }
            oddsList.add(new AbstractMap.SimpleEntry<>(persona, odds.getOdds()));
        }
        List<Violation> oddsProblems = DefinitionValidator.checkPersonaOddsList(oddsList, "persona_odds");
        for (Violation problem : oddsProblems) {
            boolean alreadyUnknown = violations.stream().anyMatch(v -> v.field().equals(problem.field()));
            if (!alreadyUnknown) {
                violations.add(problem);
            }
        }
        Map<Persona, Double> odds = new EnumMap<>(Persona.class);
        oddsList.stream().filter(e -> e.getKey() != null).forEach(e -> odds.putIfAbsent(e.getKey(), e.getValue()));
        return new ScoringDefinition(proto.getName(), proto.getDescription(), complexity, steps, engagement,
                communication, levels, pqlRule, bands, odds);
    }

    public static pql.v1.ScoringDefinition toProto(ScoringDefinition definition) {
        pql.v1.ScoringDefinition.Builder builder = pql.v1.ScoringDefinition.newBuilder()
                .setName(definition.name())
                .setDescription(definition.description() == null ? "" : definition.description())
                .setProductComplexity(pql.v1.ProductComplexity.valueOf(
                        "PRODUCT_COMPLEXITY_" + definition.productComplexity().name()));
        pql.v1.ActivationChecklist.Builder checklist = pql.v1.ActivationChecklist.newBuilder();
        for (ActivationStep step : definition.steps()) {
            checklist.addSteps(pql.v1.ActivationStep.newBuilder().setKey(step.key()).setAction(step.action())
                    .setMinCount(step.minCount()).setDescription(step.description() == null ? "" : step.description()));
        }
        builder.setActivation(checklist);
        EngagementRule engagement = definition.engagement();
        pql.v1.EngagementRule.Builder rule = pql.v1.EngagementRule.newBuilder()
                .setDefaultWeight(engagement.defaultWeight())
                .addAllExcludedActions(engagement.excludedActions())
                .setWindowDays(engagement.windowDays())
                .setHalfLifeDays(engagement.halfLifeDays())
                .setPercentileCohort(pql.v1.PercentileCohort.valueOf("PERCENTILE_COHORT_" + engagement.cohort().name()));
        engagement.weights().forEach(w -> rule.addWeights(pql.v1.ActionWeight.newBuilder().setAction(w.action())
                .setWeight(w.weight())));
        builder.setEngagement(rule);
        builder.setCommunication(pql.v1.CommunicationRule.newBuilder()
                .setWindowDays(definition.communication().windowDays())
                .setActiveThreshold(definition.communication().activeThreshold()));
        builder.setLevels(pql.v1.LevelCutoffs.newBuilder()
                .setActivation(pql.v1.Cutoffs.newBuilder().setHigh(definition.levels().activation().high())
                        .setMedium(definition.levels().activation().medium()))
                .setEngagement(pql.v1.Cutoffs.newBuilder().setHigh(definition.levels().engagement().high())
                        .setMedium(definition.levels().engagement().medium())));
        pql.v1.PqlRule.Builder qualification = pql.v1.PqlRule.newBuilder()
                .setSmallThreshold(definition.pql().smallThreshold())
                .setMidThreshold(definition.pql().midThreshold())
                .setLargeThreshold(definition.pql().largeThreshold());
        definition.pql().triggers().forEach(t -> qualification.addTriggers(pql.v1.BehaviouralTrigger.newBuilder()
                .setAction(t.action()).setCount(t.count()).setWithinDays(t.withinDays())));
        builder.setPql(qualification);
        builder.setOpportunityBands(pql.v1.OpportunityBands.newBuilder()
                .setMidFromMicros(definition.opportunityBands().midFromMicros())
                .setLargeFromMicros(definition.opportunityBands().largeFromMicros()));
        new EnumMap<>(definition.personaOdds()).forEach((persona, odds) -> builder.addPersonaOdds(
                PersonaOdds.newBuilder().setPersona(pql.v1.Persona.valueOf("PERSONA_" + persona.name())).setOdds(odds)));
        return builder.build();
    }

    private static Persona persona(pql.v1.Persona persona) {
        return switch (persona) {
            case PERSONA_GOLDEN_LEAD -> Persona.GOLDEN_LEAD;
            case PERSONA_SILENT_SUCCESS -> Persona.SILENT_SUCCESS;
            case PERSONA_CONTRARY_CONVERTER -> Persona.CONTRARY_CONVERTER;
            case PERSONA_POSITIVE_PROCRASTINATOR -> Persona.POSITIVE_PROCRASTINATOR;
            case PERSONA_FIZZLER -> Persona.FIZZLER;
            case PERSONA_INCOMPATIBLE_IGNORAMUS -> Persona.INCOMPATIBLE_IGNORAMUS;
            case PERSONA_HEARTBREAKER -> Persona.HEARTBREAKER;
            case PERSONA_UNSPECIFIED, UNRECOGNIZED -> null;
        };
    }
}
