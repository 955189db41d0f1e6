package pql.scoring.domain.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import pql.scoring.domain.ProductComplexity;
import pql.scoring.domain.definition.DefinitionPresets;
import pql.scoring.domain.definition.DefinitionValidator;
import pql.scoring.domain.definition.ScoringDefinition;

class ConversionDiscoveryTest {

    private static final long DAY = 86_400_000L;
    private static final DiscoverySettings SETTINGS = DiscoverySettings.defaults(DiscoverySettings.DEFAULT_FDR);

    @Test
    void givenEventsInsideAndOutsideTheWindow_whenAskingForACountWithinDays_thenOnlyTheSpanShorterThanTheWindowCounts() {
        ActionTimeline spread = new ActionTimeline(new long[] {0, 8 * DAY, 16 * DAY}, new double[] {1, 1, 1});
        ActionTimeline burst = new ActionTimeline(new long[] {9 * DAY, 0, 10 * DAY, 12 * DAY}, new double[] {1, 1, 1, 1});

        assertThat(spread.reaches(3, 0)).isTrue();
        assertThat(spread.reaches(2, 7)).isFalse();
        assertThat(burst.reaches(3, 7)).isTrue();
        assertThat(burst.reaches(4, 7)).isFalse();
        assertThat(new ActionTimeline(new long[] {0}, new double[] {25}).reaches(20, 7)).isTrue();
    }

    @Test
    void givenAPlantedPredictorAndNoise_whenDiscovering_thenThePredictorIsFoundAtItsThresholdAndTheNoiseIsNot() {
        List<TrialHistory> trials = trials(600, new Random(7));

        DiscoveryReport report = ConversionDiscovery.discover(trials, SETTINGS);

        assertThat(report.trials()).isEqualTo(600);
        assertThat(report.predictors()).extracting(f -> f.rule().action()).contains("api_key_created").doesNotContain("noise");
        assertThat(report.rules()).filteredOn(f -> f.rule().action().equals("noise"))
                .allSatisfy(f -> assertThat(f.verdict()).isIn(RuleVerdict.NOT_SIGNIFICANT, RuleVerdict.NOT_ENOUGH_DATA));
        assertThat(report.triggerCandidates()).extracting(f -> f.rule().describe()).contains("burst >= 3 within 7 days");
        assertThat(report.weightZeroActions()).contains("noise", "login");
        RuleFinding best = report.predictors().get(0);
        assertThat(best.lift()).isGreaterThan(2);
        assertThat(best.qValue()).isLessThan(0.05);
        assertThat(best.rateMetInterval().contains(best.rateMet())).isTrue();
    }

    @Test
    void givenOnlyNoise_whenDiscovering_thenNothingIsPredictiveAndTheDraftKeepsTheBaseChecklist() {
        Random random = new Random(3);
        List<TrialHistory> trials = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            trials.add(trial(i, random.nextDouble() < 0.3, Map.of("noise", times(random.nextInt(6), random), "other",
                    times(random.nextInt(4), random))));
        }
        ScoringDefinition preset = DefinitionPresets.forComplexity(ProductComplexity.INTERMEDIATE);

        DiscoveryReport report = ConversionDiscovery.discover(trials, SETTINGS);
        DefinitionDraft draft = DefinitionDraft.from(preset, report, SETTINGS, "test");

        assertThat(report.predictors()).isEmpty();
        assertThat(draft.definition().steps()).isEqualTo(preset.steps());
        assertThat(draft.definition().engagement().weights()).allSatisfy(w -> assertThat(w.weight()).isZero());
    }

    @Test
    void givenTooFewTrials_whenDiscovering_thenEveryRuleIsNotEnoughData() {
        List<TrialHistory> trials = trials(30, new Random(1));

        DiscoveryReport report = ConversionDiscovery.discover(trials, SETTINGS);

        assertThat(report.rules()).allSatisfy(f -> assertThat(f.verdict()).isEqualTo(RuleVerdict.NOT_ENOUGH_DATA));
        assertThat(report.predictors()).isEmpty();
        assertThat(report.weightZeroActions()).isEmpty();
    }

    @Test
    void givenDiscoveredRules_whenDrafting_thenTheDraftValidatesAndEveryEntryHasANote() {
        DiscoveryReport report = ConversionDiscovery.discover(trials(600, new Random(7)), SETTINGS);
        ScoringDefinition preset = DefinitionPresets.forComplexity(ProductComplexity.INTERMEDIATE);

        DefinitionDraft draft = DefinitionDraft.from(preset, report, SETTINGS, "2025-01-01..2025-03-01");

        var validated = DefinitionValidator.validate(draft.definition());
        assertThat(validated.errors()).isEmpty();
        ScoringDefinition definition = draft.definition();
        assertThat(definition.steps()).extracting(ScoringDefinition.ActivationStep::action).contains("api_key_created");
        assertThat(definition.pql().triggers()).extracting(ScoringDefinition.BehaviouralTrigger::describe)
                .contains("burst >= 3 within 7 days");
        assertThat(definition.engagement().weights()).filteredOn(w -> w.action().equals("noise"))
                .singleElement().satisfies(w -> assertThat(w.weight()).isZero());
        // login is excluded by the preset already: not weighted again (that would be invalid).
        assertThat(definition.engagement().weights()).noneMatch(w -> w.action().equals("login"));
        int entries = definition.steps().size() + definition.engagement().weights().size() + definition.pql().triggers().size();
        assertThat(draft.notes()).hasSize(entries);
        assertThat(draft.notes()).filteredOn(n -> n.list().equals(DefinitionDraft.STEPS)).first()
                .satisfies(n -> assertThat(n.text()).containsPattern("lift [0-9.]+: [0-9]+% of [0-9]+ that did it converted \\(95% CI [0-9]+-[0-9]+%\\) vs [0-9]+% of [0-9]+; q[=<]"));
        assertThat(definition.communication()).isEqualTo(preset.communication());
    }

    /** Trials where api_key_created (any time) and a burst of 3 in a week raise conversion; noise and logins do not. */
    private static List<TrialHistory> trials(int count, Random random) {
        List<TrialHistory> trials = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            boolean converted = random.nextDouble() < 0.35;
            Map<String, ActionTimeline> actions = new HashMap<>();
            if (random.nextDouble() < (converted ? 0.6 : 0.15)) {
                actions.put("api_key_created", times(1, random));
            }
            if (random.nextDouble() < (converted ? 0.5 : 0.1)) {
                actions.put("burst", new ActionTimeline(new long[] {2 * DAY, 3 * DAY, 4 * DAY}, new double[] {1, 1, 1}));
            } else if (random.nextBoolean()) {
                // A near miss: two in a week, the third 10 days later.
                actions.put("burst", new ActionTimeline(new long[] {0, DAY, 11 * DAY}, new double[] {1, 1, 1}));
            }
            actions.put("noise", times(random.nextInt(5), random));
            actions.put("login", times(5 + random.nextInt(30), random));
            trials.add(trial(i, converted, actions));
        }
        return trials;
    }

    private static TrialHistory trial(int number, boolean converted, Map<String, ActionTimeline> actions) {
        return new TrialHistory("a-" + number, 30 * DAY, converted, actions);
    }

    private static ActionTimeline times(int count, Random random) {
        long[] at = new long[count];
        double[] quantities = new double[count];
        for (int i = 0; i < count; i++) {
            at[i] = (long) (random.nextDouble() * 28 * DAY);
            quantities[i] = 1;
        }
        return new ActionTimeline(at, quantities);
    }
}
