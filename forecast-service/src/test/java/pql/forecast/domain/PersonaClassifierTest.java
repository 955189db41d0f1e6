package pql.forecast.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static pql.forecast.domain.CommunicationLevel.ACTIVE;
import static pql.forecast.domain.Level.HIGH;
import static pql.forecast.domain.Level.LOW;
import static pql.forecast.domain.Level.MEDIUM;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pql.forecast.support.SeedOdds;

/** Seed 004's seven trial personas, the nearest-persona rule and the explanations. */
class PersonaClassifierTest {

    private final PersonaClassifier classifier = new PersonaClassifier();
    private final PersonaExplainer explainer = new PersonaExplainer();

    static Stream<Arguments> theSevenCanonicalPersonas() {
        return Stream.of(
                Arguments.of(HIGH, HIGH, ACTIVE, Fit.GOOD, Persona.GOLDEN_LEAD, "0.9"),
                Arguments.of(HIGH, HIGH, CommunicationLevel.LOW, Fit.GOOD, Persona.SILENT_SUCCESS, "0.75"),
                Arguments.of(MEDIUM, MEDIUM, ACTIVE, Fit.GOOD, Persona.CONTRARY_CONVERTER, "0.6"),
                Arguments.of(LOW, LOW, ACTIVE, Fit.GOOD, Persona.POSITIVE_PROCRASTINATOR, "0.3"),
                Arguments.of(HIGH, LOW, CommunicationLevel.LOW, Fit.GOOD, Persona.FIZZLER, "0.1"),
                Arguments.of(LOW, LOW, ACTIVE, Fit.POOR, Persona.INCOMPATIBLE_IGNORAMUS, "0.05"),
                Arguments.of(LOW, LOW, CommunicationLevel.LOW, Fit.GOOD, Persona.HEARTBREAKER, "0.05"));
    }

    @ParameterizedTest(name = "{4}: {0}/{1}/{2} {3} fit -> {5}")
    @MethodSource
    void theSevenCanonicalPersonas(Level activation, Level engagement, CommunicationLevel communication, Fit fit,
            Persona expected, String seedOdds) {
        PersonaMatch match = classifier.match(activation, engagement, communication, fit);

        assertThat(match.persona()).isEqualTo(expected);
        assertThat(match.approximate()).isFalse();
        assertThat(match.distance()).isZero();
        assertThat(SeedOdds.seed().of(match.persona())).isEqualTo(Odds.of(seedOdds));
    }

    @Test
    void fitDoesNotMatterOutsideTheLowLowActiveRow() {
        for (Fit fit : Fit.values()) {
            assertThat(classifier.match(HIGH, HIGH, ACTIVE, fit).persona()).isEqualTo(Persona.GOLDEN_LEAD);
            assertThat(classifier.match(HIGH, HIGH, ACTIVE, fit).approximate()).isFalse();
            assertThat(classifier.match(LOW, LOW, CommunicationLevel.LOW, fit).persona()).isEqualTo(Persona.HEARTBREAKER);
        }
    }

    @Test
    void lowLowActiveWithoutAFitIsTakenAsGoodFitAndMarkedApproximate() {
        PersonaMatch match = classifier.match(LOW, LOW, ACTIVE, Fit.UNKNOWN);

        assertThat(match.persona()).isEqualTo(Persona.POSITIVE_PROCRASTINATOR);
        assertThat(match.kind()).isEqualTo(PersonaMatch.Kind.FIT_UNKNOWN);
        assertThat(match.approximate()).isTrue();
    }

    static Stream<Arguments> combinationsNoPersonaNames() {
        // level distance = level steps summed over the three indicators; ties -> the lower-odds row
        return Stream.of(
                Arguments.of(HIGH, MEDIUM, ACTIVE, Persona.CONTRARY_CONVERTER, 1, "Golden Lead"),
                Arguments.of(HIGH, MEDIUM, CommunicationLevel.LOW, Persona.FIZZLER, 1, "Silent Success"),
                Arguments.of(HIGH, LOW, ACTIVE, Persona.FIZZLER, 1, null),
                Arguments.of(MEDIUM, HIGH, ACTIVE, Persona.CONTRARY_CONVERTER, 1, "Golden Lead"),
                Arguments.of(MEDIUM, HIGH, CommunicationLevel.LOW, Persona.SILENT_SUCCESS, 1, null),
                Arguments.of(MEDIUM, MEDIUM, CommunicationLevel.LOW, Persona.CONTRARY_CONVERTER, 1, null),
                Arguments.of(MEDIUM, LOW, ACTIVE, Persona.POSITIVE_PROCRASTINATOR, 1, "Contrary Converter"),
                Arguments.of(MEDIUM, LOW, CommunicationLevel.LOW, Persona.HEARTBREAKER, 1, "Fizzler"),
                Arguments.of(LOW, HIGH, ACTIVE, Persona.POSITIVE_PROCRASTINATOR, 2, "Golden Lead"),
                Arguments.of(LOW, HIGH, CommunicationLevel.LOW, Persona.HEARTBREAKER, 2, "Silent Success"),
                Arguments.of(LOW, MEDIUM, ACTIVE, Persona.POSITIVE_PROCRASTINATOR, 1, "Contrary Converter"),
                Arguments.of(LOW, MEDIUM, CommunicationLevel.LOW, Persona.HEARTBREAKER, 1, null));
    }

    @ParameterizedTest(name = "{0}/{1}/{2} -> {3} at distance {4}")
    @MethodSource
    void combinationsNoPersonaNames(Level activation, Level engagement, CommunicationLevel communication, Persona expected,
            int distance, String tiedWith) {
        PersonaMatch match = classifier.match(activation, engagement, communication, Fit.GOOD);

        assertThat(match.persona()).isEqualTo(expected);
        assertThat(match.kind()).isEqualTo(PersonaMatch.Kind.NEAREST);
        assertThat(match.approximate()).isTrue();
        assertThat(match.distance()).isEqualTo(distance);
        Explanation explanation = explainer.explain(match, SeedOdds.seed().of(expected), "seed 004", null, null);
        assertThat(explanation.rule()).isEqualTo("persona.nearest");
        assertThat(explanation.text()).contains("no persona has " + match.levels(), "level distance " + distance);
        if (tiedWith != null) {
            assertThat(explanation.text()).contains("tied with " + tiedWith, "ties go to the lower-odds row");
        } else {
            assertThat(match.ties()).isEmpty();
        }
    }

    @Test
    void theNearestRowRespectsAKnownPoorFit() {
        assertThat(classifier.match(LOW, MEDIUM, ACTIVE, Fit.POOR).persona()).isEqualTo(Persona.INCOMPATIBLE_IGNORAMUS);
        assertThat(classifier.match(MEDIUM, LOW, ACTIVE, Fit.POOR).persona()).isEqualTo(Persona.INCOMPATIBLE_IGNORAMUS);
        // a tie between Contrary Converter and the LOW/LOW/ACTIVE row, fit unknown: taken as good fit
        assertThat(classifier.match(LOW, MEDIUM, ACTIVE, Fit.UNKNOWN).persona()).isEqualTo(Persona.POSITIVE_PROCRASTINATOR);
    }

    @Test
    void everyCombinationHasExactlyOneAnswer() {
        int exact = 0;
        for (Level activation : Level.values()) {
            for (Level engagement : Level.values()) {
                for (CommunicationLevel communication : CommunicationLevel.values()) {
                    PersonaMatch match = classifier.match(activation, engagement, communication, Fit.GOOD);
                    assertThat(match.levels()).isEqualTo(Levels.of(activation, engagement, communication));
                    if (!match.approximate()) {
                        exact++;
                    }
                }
            }
        }
        assertThat(exact).as("the seed's table names six level combinations").isEqualTo(6);
    }

    @Test
    void anExactClassificationIsExplainedWithItsLevelsNumbersAndRule() {
        PersonaMatch match = classifier.match(HIGH, HIGH, ACTIVE, Fit.GOOD);
        Explanation explanation = explainer.explain(match, Odds.of("0.9"), "seed 004",
                new LevelEvidence(0.8333, 212.46, 91, 4, 1), null);

        assertThat(explanation.rule()).isEqualTo("persona.exact");
        assertThat(explanation.text()).isEqualTo("Golden Lead: activation HIGH (83.3%), engagement HIGH (212.5 points,"
                + " percentile 91), communication ACTIVE (4 inbound, 1 responded) match the seed's HIGH/HIGH/ACTIVE row;"
                + " odds 90% (seed 004).");
        assertThat(explanation.factors()).extracting(Explanation.Factor::name)
                .containsExactly("activation_rate", "engagement_score", "engagement_percentile", "inbound", "responses", "fit", "odds");
        assertThat(explanation.factors().get(0).value()).isEqualTo(0.8333);
        assertThat(explanation.factors().get(6).value()).isEqualTo(0.9);
    }

    @Test
    void theFitSplitIsExplained() {
        Explanation poor = explainer.explain(classifier.match(LOW, LOW, ACTIVE, Fit.POOR), Odds.of("0.05"), "seed 004", null, null);
        Explanation unknown = explainer.explain(classifier.match(LOW, LOW, ACTIVE, Fit.UNKNOWN), Odds.of("0.3"), "seed 004", null, null);

        assertThat(poor.rule()).isEqualTo("persona.exact_by_fit");
        assertThat(poor.text()).startsWith("Incompatible Ignoramus: ").contains("with POOR fit", "poor fit (no budget or resources)");
        assertThat(unknown.rule()).isEqualTo("persona.fit_unknown");
        assertThat(unknown.text()).startsWith("Positive Procrastinator (approximate): ").contains("taken as good fit");
    }

    @Test
    void aVersionsOddsReplaceTheSeedsForThePersonasItSets() {
        PersonaOdds odds = SeedOdds.withOverrides(Map.of(Persona.FIZZLER, Odds.of("0.2")));

        assertThat(odds.of(Persona.FIZZLER)).isEqualTo(Odds.of("0.2"));
        assertThat(odds.isOverridden(Persona.FIZZLER)).isTrue();
        assertThat(odds.of(Persona.GOLDEN_LEAD)).isEqualTo(Odds.of("0.9"));
        assertThat(odds.isOverridden(Persona.GOLDEN_LEAD)).isFalse();
        // the persona itself depends on levels only, never on the odds
        assertThat(classifier.match(HIGH, MEDIUM, CommunicationLevel.LOW, Fit.GOOD).persona()).isEqualTo(Persona.FIZZLER);
    }
}
