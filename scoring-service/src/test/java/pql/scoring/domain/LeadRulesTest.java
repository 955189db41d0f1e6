package pql.scoring.domain;

import static org.assertj.core.api.Assertions.assertThat;

import static pql.scoring.domain.CommunicationLevel.ACTIVE;

import static pql.scoring.domain.Level.HIGH;
import static pql.scoring.domain.Level.LOW;
import static pql.scoring.domain.Level.MEDIUM;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pql.scoring.domain.score.Lead;

/** The lead of an account: its status at the instant, its persona by seed 004's table, its expected value. */
class LeadRulesTest {

    private static final CommunicationLevel LOW_COMM = CommunicationLevel.LOW;

    @Test
    void anOutcomeDecidesTheStatusBeforeThePlan() {
        assertThat(LeadStatus.of(null, Plan.TRIAL)).isEqualTo(LeadStatus.OPEN);
        assertThat(LeadStatus.of(null, null)).as("no plan on record: a trial").isEqualTo(LeadStatus.OPEN);
        assertThat(LeadStatus.of(OutcomeKind.CONVERTED, Plan.PAID)).isEqualTo(LeadStatus.CONVERTED);
        assertThat(LeadStatus.of(OutcomeKind.LOST, Plan.TRIAL)).isEqualTo(LeadStatus.LOST);
        assertThat(LeadStatus.of(OutcomeKind.CHURNED, Plan.PAID)).isEqualTo(LeadStatus.CHURNED);
        assertThat(LeadStatus.of(null, Plan.PAID)).isEqualTo(LeadStatus.PAID);
        assertThat(LeadStatus.of(null, Plan.FREEMIUM)).isEqualTo(LeadStatus.FREEMIUM);
    }

    @Test
    void everyRowOfTheSeedTableNamesItsPersonaExactly() {
        assertThat(PersonaRule.match(Level.HIGH, Level.HIGH, CommunicationLevel.ACTIVE, null))
                .isEqualTo(exact(Persona.GOLDEN_LEAD));
        assertThat(PersonaRule.match(Level.HIGH, Level.HIGH, CommunicationLevel.LOW, Fit.POOR))
                .isEqualTo(exact(Persona.SILENT_SUCCESS));
        assertThat(PersonaRule.match(Level.MEDIUM, Level.MEDIUM, CommunicationLevel.ACTIVE, null))
                .isEqualTo(exact(Persona.CONTRARY_CONVERTER));
        assertThat(PersonaRule.match(Level.LOW, Level.LOW, CommunicationLevel.ACTIVE, Fit.GOOD))
                .isEqualTo(exact(Persona.POSITIVE_PROCRASTINATOR));
        assertThat(PersonaRule.match(Level.HIGH, Level.LOW, CommunicationLevel.LOW, null))
                .isEqualTo(exact(Persona.FIZZLER));
        assertThat(PersonaRule.match(Level.LOW, Level.LOW, CommunicationLevel.ACTIVE, Fit.POOR))
                .isEqualTo(exact(Persona.INCOMPATIBLE_IGNORAMUS));
        assertThat(PersonaRule.match(Level.LOW, Level.LOW, CommunicationLevel.LOW, null))
                .isEqualTo(exact(Persona.HEARTBREAKER));
    }

    @Test
    void anUnnamedCombinationTakesTheNearestRowTiesToTheLowerOddsAndIsApproximate() {
        assertThat(PersonaRule.match(Level.MEDIUM, Level.LOW, CommunicationLevel.LOW, null))
                .isEqualTo(new PersonaRule.Match(Persona.HEARTBREAKER, true, 1, List.of(Persona.FIZZLER)));
        assertThat(PersonaRule.match(Level.LOW, Level.LOW, CommunicationLevel.ACTIVE, null))
                .as("no fit on record: good fit assumed").isEqualTo(new PersonaRule.Match(Persona.POSITIVE_PROCRASTINATOR, true, 0, List.of()));
        assertThat(PersonaRule.match(null, Level.LOW, CommunicationLevel.LOW, null)).isNull();
    }

    static Stream<Arguments> theTwelveCombinationsNoRowNames() {
        // level distance = level steps summed over the three indicators; ties -> the lower-odds row
        // (the answers forecast-service's own copy of the table pinned before it read them from here)
        return Stream.of(
                Arguments.of(HIGH, MEDIUM, ACTIVE, Persona.CONTRARY_CONVERTER, 1, List.of(Persona.GOLDEN_LEAD), Persona.CONTRARY_CONVERTER),
                Arguments.of(HIGH, MEDIUM, LOW_COMM, Persona.FIZZLER, 1, List.of(Persona.SILENT_SUCCESS), Persona.FIZZLER),
                Arguments.of(HIGH, LOW, ACTIVE, Persona.FIZZLER, 1, List.of(), Persona.FIZZLER),
                Arguments.of(MEDIUM, HIGH, ACTIVE, Persona.CONTRARY_CONVERTER, 1, List.of(Persona.GOLDEN_LEAD), Persona.CONTRARY_CONVERTER),
                Arguments.of(MEDIUM, HIGH, LOW_COMM, Persona.SILENT_SUCCESS, 1, List.of(), Persona.SILENT_SUCCESS),
                Arguments.of(MEDIUM, MEDIUM, LOW_COMM, Persona.CONTRARY_CONVERTER, 1, List.of(), Persona.CONTRARY_CONVERTER),
                Arguments.of(MEDIUM, LOW, ACTIVE, Persona.POSITIVE_PROCRASTINATOR, 1, List.of(Persona.CONTRARY_CONVERTER), Persona.INCOMPATIBLE_IGNORAMUS),
                Arguments.of(MEDIUM, LOW, LOW_COMM, Persona.HEARTBREAKER, 1, List.of(Persona.FIZZLER), Persona.HEARTBREAKER),
                Arguments.of(LOW, HIGH, ACTIVE, Persona.POSITIVE_PROCRASTINATOR, 2, List.of(Persona.GOLDEN_LEAD, Persona.CONTRARY_CONVERTER), Persona.INCOMPATIBLE_IGNORAMUS),
                Arguments.of(LOW, HIGH, LOW_COMM, Persona.HEARTBREAKER, 2, List.of(Persona.SILENT_SUCCESS), Persona.HEARTBREAKER),
                Arguments.of(LOW, MEDIUM, ACTIVE, Persona.POSITIVE_PROCRASTINATOR, 1, List.of(Persona.CONTRARY_CONVERTER), Persona.INCOMPATIBLE_IGNORAMUS),
                Arguments.of(LOW, MEDIUM, LOW_COMM, Persona.HEARTBREAKER, 1, List.of(), Persona.HEARTBREAKER));
    }

    @ParameterizedTest(name = "{0}/{1}/{2} -> {3} at distance {4}, tied with {5} (poor fit: {6})")
    @MethodSource
    void theTwelveCombinationsNoRowNames(Level activation, Level engagement, CommunicationLevel communication,
            Persona goodOrUnknownFit, int distance, List<Persona> ties, Persona poorFit) {
        PersonaRule.Match nearest = new PersonaRule.Match(goodOrUnknownFit, true, distance, ties);
        assertThat(PersonaRule.match(activation, engagement, communication, null)).isEqualTo(nearest);
        assertThat(PersonaRule.match(activation, engagement, communication, Fit.GOOD)).isEqualTo(nearest);
        PersonaRule.Match poor = PersonaRule.match(activation, engagement, communication, Fit.POOR);
        assertThat(poor.persona()).isEqualTo(poorFit);
        assertThat(poor.approximate()).isTrue();
    }

    @Test
    void fitMattersOnlyOnTheLowLowActiveRow() {
        for (Fit fit : new Fit[] {null, Fit.GOOD, Fit.POOR}) {
            assertThat(PersonaRule.match(HIGH, HIGH, ACTIVE, fit)).isEqualTo(exact(Persona.GOLDEN_LEAD));
            assertThat(PersonaRule.match(LOW, LOW, LOW_COMM, fit)).isEqualTo(exact(Persona.HEARTBREAKER));
        }
    }

    @Test
    void theSeedTableNamesSixLevelCombinationsAndEveryOtherHasOneNearestAnswer() {
        int exact = 0;
        for (Level activation : Level.values()) {
            for (Level engagement : Level.values()) {
                for (CommunicationLevel communication : CommunicationLevel.values()) {
                    PersonaRule.Match match = PersonaRule.match(activation, engagement, communication, Fit.GOOD);
                    assertThat(match.approximate()).isEqualTo(match.distance() > 0);
                    if (!match.approximate()) {
                        exact++;
                    }
                }
            }
        }
        assertThat(exact).isEqualTo(6);
    }

    private static PersonaRule.Match exact(Persona persona) {
        return new PersonaRule.Match(persona, false, 0, List.of());
    }

    @Test
    void expectedValueIsDealTimesTheDefinitionsOddsRoundedHalfEven() {
        Lead seed = Lead.of(null, Plan.TRIAL, Level.HIGH, Level.HIGH, CommunicationLevel.LOW, null, 40_000_000_000L,
                null, 5L);
        Lead edited = Lead.of(null, Plan.TRIAL, Level.HIGH, Level.HIGH, CommunicationLevel.LOW, null, 40_000_000_000L,
                Map.of(Persona.SILENT_SUCCESS, 0.5), null);
        Lead noDeal = Lead.of(OutcomeKind.LOST, Plan.TRIAL, Level.HIGH, Level.HIGH, CommunicationLevel.LOW, null, null,
                null, null);

        assertThat(seed).isEqualTo(new Lead(LeadStatus.OPEN, Persona.SILENT_SUCCESS, false, 0.75, 30_000_000_000L, 5L,
                new PersonaRule.Match(Persona.SILENT_SUCCESS, false, 0, List.of())));
        assertThat(edited.odds()).isEqualTo(0.5);
        assertThat(edited.expectedValueMicros()).isEqualTo(20_000_000_000L);
        assertThat(noDeal.expectedValueMicros()).isNull();
        assertThat(noDeal.status()).isEqualTo(LeadStatus.LOST);
        assertThat(Lead.expectedValueMicros(5, 0.9)).as("4.5 micros, half-even").isEqualTo(4);
        assertThat(Lead.expectedValueMicros(15, 0.9)).as("13.5 micros, half-even").isEqualTo(14);
    }
}
