package pql.forecast.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static pql.forecast.domain.CommunicationLevel.ACTIVE;
import static pql.forecast.domain.Level.HIGH;
import static pql.forecast.domain.Level.LOW;
import static pql.forecast.domain.Level.MEDIUM;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pql.forecast.support.SeedOdds;

/**
 * How the forecast explains the persona scoring-service reports (scoring's LeadRulesTest pins which
 * persona seed 004's table gives each combination of levels and fit; here only the wording and kinds).
 */
class PersonaExplainerTest {

    private final PersonaExplainer explainer = new PersonaExplainer();

    @Test
    void anExactClassificationIsExplainedWithItsLevelsNumbersAndRule() {
        PersonaMatch match = PersonaMatch.reported(Persona.GOLDEN_LEAD, false, 0, List.of(), Levels.of(HIGH, HIGH, ACTIVE), Fit.GOOD);
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
    void theNearestRowIsExplainedWithItsDistanceAndTies() {
        PersonaMatch tied = PersonaMatch.reported(Persona.CONTRARY_CONVERTER, true, 1, List.of(Persona.GOLDEN_LEAD),
                Levels.of(HIGH, MEDIUM, ACTIVE), Fit.GOOD);
        PersonaMatch alone = PersonaMatch.reported(Persona.SILENT_SUCCESS, true, 1, List.of(),
                Levels.of(MEDIUM, HIGH, CommunicationLevel.LOW), Fit.GOOD);

        Explanation withTie = explainer.explain(tied, SeedOdds.seed().of(Persona.CONTRARY_CONVERTER), "seed 004", null, null);
        Explanation withoutTie = explainer.explain(alone, SeedOdds.seed().of(Persona.SILENT_SUCCESS), "seed 004", null, null);

        assertThat(tied.kind()).isEqualTo(PersonaMatch.Kind.NEAREST);
        assertThat(tied.approximate()).isTrue();
        assertThat(withTie.rule()).isEqualTo("persona.nearest");
        assertThat(withTie.text()).contains("no persona has " + tied.levels(), "level distance 1", "tied with Golden Lead",
                "ties go to the lower-odds row");
        assertThat(withoutTie.text()).contains("level distance 1").doesNotContain("tied with");
    }

    @Test
    void theFitSplitIsExplained() {
        Levels lowLowActive = Levels.of(LOW, LOW, ACTIVE);
        PersonaMatch poorMatch = PersonaMatch.reported(Persona.INCOMPATIBLE_IGNORAMUS, false, 0, List.of(), lowLowActive, Fit.POOR);
        PersonaMatch unknownMatch = PersonaMatch.reported(Persona.POSITIVE_PROCRASTINATOR, true, 0, List.of(), lowLowActive, Fit.UNKNOWN);
        Explanation poor = explainer.explain(poorMatch, Odds.of("0.05"), "seed 004", null, null);
        Explanation unknown = explainer.explain(unknownMatch, Odds.of("0.3"), "seed 004", null, null);

        assertThat(poorMatch.kind()).isEqualTo(PersonaMatch.Kind.EXACT_BY_FIT);
        assertThat(unknownMatch.kind()).isEqualTo(PersonaMatch.Kind.FIT_UNKNOWN);
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
        assertThat(SeedOdds.seed().of(Persona.HEARTBREAKER)).isEqualTo(Odds.of("0.05"));
    }
}
