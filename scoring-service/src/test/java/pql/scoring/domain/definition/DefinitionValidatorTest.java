package pql.scoring.domain.definition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pql.scoring.domain.PercentileCohort;
import pql.scoring.domain.Persona;
import pql.scoring.domain.ProductComplexity;
import pql.scoring.domain.definition.ScoringDefinition.ActionWeight;
import pql.scoring.domain.definition.ScoringDefinition.ActivationStep;
import pql.scoring.domain.definition.ScoringDefinition.BehaviouralTrigger;
import pql.scoring.domain.definition.ScoringDefinition.Cutoffs;
import pql.scoring.domain.definition.ScoringDefinition.EngagementRule;
import pql.scoring.domain.definition.ScoringDefinition.LevelCutoffs;
import pql.scoring.domain.definition.ScoringDefinition.PqlRule;

class DefinitionValidatorTest {

    private static final ScoringDefinition PRESET = DefinitionPresets.forComplexity(ProductComplexity.INTERMEDIATE);

    @Test
    void everyPresetIsValidWithoutWarnings() {
        for (ProductComplexity complexity : ProductComplexity.values()) {
            ValidationReport report = DefinitionValidator.validate(DefinitionPresets.forComplexity(complexity));
            assertThat(report.errors()).isEmpty();
            assertThat(report.warnings()).isEmpty();
            assertThat(report.definition()).isEqualTo(DefinitionPresets.forComplexity(complexity));
        }
    }

    @Test
    void theIntermediatePresetUsesTheSeedThresholds() {
        assertThat(PRESET.pql().smallThreshold()).isEqualTo(0.75);
        assertThat(PRESET.pql().midThreshold()).isEqualTo(0.50);
        assertThat(PRESET.pql().largeThreshold()).isEqualTo(0.25);
    }

    @Test
    void missingSectionsTakeThePresetOfTheComplexity() {
        ScoringDefinition draft = new ScoringDefinition("mine", null, ProductComplexity.COMPLEX, PRESET.steps(), null,
                null, null, null, null, Map.of(Persona.FIZZLER, 0.2));
        ValidationReport report = DefinitionValidator.validate(draft);
        assertThat(report.isValid()).isTrue();
        ScoringDefinition stored = report.definition();
        assertThat(stored.pql()).isEqualTo(DefinitionPresets.pqlRule(ProductComplexity.COMPLEX));
        assertThat(stored.engagement()).isEqualTo(DefinitionPresets.engagement());
        assertThat(stored.personaOdds()).hasSize(7).containsEntry(Persona.FIZZLER, 0.2)
                .containsEntry(Persona.GOLDEN_LEAD, 0.90);
        assertThat(stored.description()).as("made from the values when none is given")
                .startsWith("PQL at activation SMALL 50%, MID 25%, LARGE 10%, or on message_sent >= 2000");
    }

    @Test
    void fewerThanFiveOrMoreThanTenStepsIsAWarning() {
        ValidationReport four = DefinitionValidator.validate(withSteps(steps(4)));
        assertThat(four.isValid()).isTrue();
        assertThat(four.warnings()).extracting(Violation::field).containsExactly("activation.steps");
        assertThat(DefinitionValidator.validate(withSteps(steps(11))).warnings()).hasSize(1);
        assertThat(DefinitionValidator.validate(withSteps(steps(7))).warnings()).isEmpty();
    }

    @Test
    void errorsNameTheFieldPath() {
        List<ActivationStep> steps = new ArrayList<>(steps(6));
        steps.set(2, new ActivationStep("step_2", "act_2", 0, ""));
        steps.set(4, new ActivationStep("step_1", "act 4!", 1, ""));
        ScoringDefinition draft = new ScoringDefinition("", null, null, steps,
                new EngagementRule(List.of(new ActionWeight("a", -1), new ActionWeight("login", 1)), 1,
                        List.of("login"), -3, 0, PercentileCohort.ALL),
                new ScoringDefinition.CommunicationRule(0, 0),
                new LevelCutoffs(new Cutoffs(0.4, 0.6), new Cutoffs(10, 1)),
                new PqlRule(1.5, 0.5, -0.1, List.of(new BehaviouralTrigger("message_sent", 0, 0),
                        new BehaviouralTrigger("message_sent", 0, 0))),
                new ScoringDefinition.OpportunityBands(100, 50), null);
        ValidationReport report = DefinitionValidator.validate(draft);
        assertThat(report.isValid()).isFalse();
        assertThat(report.definition()).isNull();
        assertThat(report.errors()).extracting(Violation::field).containsExactlyInAnyOrder(
                "name", "product_complexity",
                "activation.steps[2].min_count", "activation.steps[4].key", "activation.steps[4].action",
                "engagement.weights[0].weight", "engagement.excluded_actions[0]", "engagement.window_days",
                "communication.window_days", "communication.active_threshold",
                "levels.activation.medium",
                "pql.small_threshold", "pql.large_threshold", "pql.triggers[0].count", "pql.triggers[1].count",
                "pql.triggers[1]", "opportunity_bands.large_from_micros");
        assertThat(report.errors()).filteredOn(v -> v.field().equals("activation.steps[4].key"))
                .extracting(Violation::message).containsExactly("duplicate key 'step_1' (also activation.steps[1])");
    }

    @Test
    void numbersThatCouldMakeEngagementInfiniteAreRefused() {
        // issue #13: a weight of 1e300 times an allowed quantity overflows a double
        List<ActivationStep> steps = new ArrayList<>(steps(6));
        steps.set(0, new ActivationStep("step_0", "act_0", 1e300, ""));
        ScoringDefinition draft = new ScoringDefinition("huge", null, ProductComplexity.INTERMEDIATE, steps,
                new EngagementRule(List.of(new ActionWeight("a", 1e300)), 2e6, List.of(), 30, 14, PercentileCohort.ALL),
                null, new LevelCutoffs(new Cutoffs(0.6, 0.3), new Cutoffs(1e300, 10)),
                new PqlRule(0.75, 0.5, 0.25, List.of(new BehaviouralTrigger("message_sent", 1e300, 0))), null, null);

        ValidationReport report = DefinitionValidator.validate(draft);

        assertThat(report.errors()).extracting(Violation::field).containsExactlyInAnyOrder(
                "activation.steps[0].min_count", "engagement.weights[0].weight", "engagement.default_weight",
                "levels.engagement.high", "pql.triggers[0].count");
    }

    @Test
    void theLargestAllowedNumbersPass() {
        ScoringDefinition draft = new ScoringDefinition("largest", null, ProductComplexity.INTERMEDIATE,
                List.of(new ActivationStep("step_0", "act_0", 1e12, "")),
                new EngagementRule(List.of(new ActionWeight("a", 1e6)), 1e6, List.of(), 30, 14, PercentileCohort.ALL),
                null, new LevelCutoffs(new Cutoffs(0.6, 0.3), new Cutoffs(1e15, 1e15)),
                new PqlRule(0.75, 0.5, 0.25, List.of(new BehaviouralTrigger("message_sent", 1e12, 0))), null, null);

        assertThat(DefinitionValidator.validate(draft).errors()).isEmpty();
    }

    @Test
    void aDefinitionStoredBeforeTheBoundsIsBroughtWithinThemAndIsValid() {
        ScoringDefinition stored = new ScoringDefinition("old", null, ProductComplexity.INTERMEDIATE,
                List.of(new ActivationStep("step_0", "act_0", 1e300, "")),
                new EngagementRule(List.of(new ActionWeight("a", 1e300)), 1e300, List.of(), 30, 14, PercentileCohort.ALL),
                null, new LevelCutoffs(new Cutoffs(0.6, 0.3), new Cutoffs(1e300, 1e299)),
                new PqlRule(0.75, 0.5, 0.25, List.of(new BehaviouralTrigger("message_sent", 1e300, 0))), null, null);

        ValidationReport report = DefinitionValidator.validate(DefinitionBounds.clamp(stored));

        assertThat(report.errors()).isEmpty();
        ScoringDefinition served = report.definition();
        assertThat(served.steps().get(0).minCount()).isEqualTo(1e12);
        assertThat(served.engagement().weights()).containsExactly(new ActionWeight("a", 1e6));
        assertThat(served.engagement().defaultWeight()).isEqualTo(1e6);
        assertThat(served.levels().engagement()).isEqualTo(new Cutoffs(1e15, 1e15));
        assertThat(served.pql().triggers().get(0).count()).isEqualTo(1e12);
        assertThat(DefinitionBounds.clamp(PRESET)).as("a definition within the bounds is unchanged").isEqualTo(PRESET);
    }

    @Test
    void personaOddsListsAreCheckedForDuplicatesAndRange() {
        List<Violation> found = DefinitionValidator.checkPersonaOddsList(List.of(
                Map.entry(Persona.GOLDEN_LEAD, 0.9), Map.entry(Persona.GOLDEN_LEAD, 0.8),
                new java.util.AbstractMap.SimpleEntry<>(null, 0.5), Map.entry(Persona.FIZZLER, 1.5)), "persona_odds");
        assertThat(found).extracting(Violation::field).containsExactly("persona_odds[1].persona",
                "persona_odds[2].persona", "persona_odds[3].odds");
    }

    private static List<ActivationStep> steps(int count) {
        List<ActivationStep> steps = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            steps.add(new ActivationStep("step_" + i, "act_" + i, 1, ""));
        }
        return steps;
    }

    private static ScoringDefinition withSteps(List<ActivationStep> steps) {
        return new ScoringDefinition("custom", "", ProductComplexity.INTERMEDIATE, steps, null, null, null, null,
                null, null);
    }
}
