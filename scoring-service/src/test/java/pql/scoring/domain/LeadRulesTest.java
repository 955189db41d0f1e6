package pql.scoring.domain;

import static org.assertj.core.api.Assertions.assertThat;

import static pql.scoring.domain.CommunicationLevel.ACTIVE;
import static pql.scoring.domain.Level.HIGH;
import static pql.scoring.domain.Level.LOW;
import static pql.scoring.domain.Level.MEDIUM;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pql.scoring.domain.score.Lead;

/** The lead of an account: its status at the instant, its persona by seed 004's table, its expected value. */
class LeadRulesTest {

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
                .isEqualTo(new PersonaRule.Match(Persona.GOLDEN_LEAD, false));
        assertThat(PersonaRule.match(Level.HIGH, Level.HIGH, CommunicationLevel.LOW, Fit.POOR))
                .isEqualTo(new PersonaRule.Match(Persona.SILENT_SUCCESS, false));
        assertThat(PersonaRule.match(Level.MEDIUM, Level.MEDIUM, CommunicationLevel.ACTIVE, null))
                .isEqualTo(new PersonaRule.Match(Persona.CONTRARY_CONVERTER, false));
        assertThat(PersonaRule.match(Level.LOW, Level.LOW, CommunicationLevel.ACTIVE, Fit.GOOD))
                .isEqualTo(new PersonaRule.Match(Persona.POSITIVE_PROCRASTINATOR, false));
        assertThat(PersonaRule.match(Level.HIGH, Level.LOW, CommunicationLevel.LOW, null))
                .isEqualTo(new PersonaRule.Match(Persona.FIZZLER, false));
        assertThat(PersonaRule.match(Level.LOW, Level.LOW, CommunicationLevel.ACTIVE, Fit.POOR))
                .isEqualTo(new PersonaRule.Match(Persona.INCOMPATIBLE_IGNORAMUS, false));
        assertThat(PersonaRule.match(Level.LOW, Level.LOW, CommunicationLevel.LOW, null))
                .isEqualTo(new PersonaRule.Match(Persona.HEARTBREAKER, false));
    }

    @Test
    void anUnnamedCombinationTakesTheNearestRowTiesToTheLowerOddsAndIsApproximate() {
        assertThat(PersonaRule.match(Level.MEDIUM, Level.LOW, CommunicationLevel.LOW, null))
                .isEqualTo(new PersonaRule.Match(Persona.HEARTBREAKER, true));
        assertThat(PersonaRule.match(Level.LOW, Level.LOW, CommunicationLevel.ACTIVE, null))
                .as("no fit on record: good fit assumed").isEqualTo(new PersonaRule.Match(Persona.POSITIVE_PROCRASTINATOR, true));
        assertThat(PersonaRule.match(null, Level.LOW, CommunicationLevel.LOW, null)).isNull();
    }

    static Stream<Arguments> theTwelveCombinationsNoRowNames() {
        // the table forecast-service's PersonaClassifierTest pins, row for row: one rule, one answer
        return Stream.of(
                Arguments.of(HIGH, MEDIUM, ACTIVE, Persona.CONTRARY_CONVERTER, Persona.CONTRARY_CONVERTER),
                Arguments.of(HIGH, MEDIUM, CommunicationLevel.LOW, Persona.FIZZLER, Persona.FIZZLER),
                Arguments.of(HIGH, LOW, ACTIVE, Persona.FIZZLER, Persona.FIZZLER),
                Arguments.of(MEDIUM, HIGH, ACTIVE, Persona.CONTRARY_CONVERTER, Persona.CONTRARY_CONVERTER),
                Arguments.of(MEDIUM, HIGH, CommunicationLevel.LOW, Persona.SILENT_SUCCESS, Persona.SILENT_SUCCESS),
                Arguments.of(MEDIUM, MEDIUM, CommunicationLevel.LOW, Persona.CONTRARY_CONVERTER, Persona.CONTRARY_CONVERTER),
                Arguments.of(MEDIUM, LOW, ACTIVE, Persona.POSITIVE_PROCRASTINATOR, Persona.INCOMPATIBLE_IGNORAMUS),
                Arguments.of(MEDIUM, LOW, CommunicationLevel.LOW, Persona.HEARTBREAKER, Persona.HEARTBREAKER),
                Arguments.of(LOW, HIGH, ACTIVE, Persona.POSITIVE_PROCRASTINATOR, Persona.INCOMPATIBLE_IGNORAMUS),
                Arguments.of(LOW, HIGH, CommunicationLevel.LOW, Persona.HEARTBREAKER, Persona.HEARTBREAKER),
                Arguments.of(LOW, MEDIUM, ACTIVE, Persona.POSITIVE_PROCRASTINATOR, Persona.INCOMPATIBLE_IGNORAMUS),
                Arguments.of(LOW, MEDIUM, CommunicationLevel.LOW, Persona.HEARTBREAKER, Persona.HEARTBREAKER));
    }

    @ParameterizedTest(name = "{0}/{1}/{2} -> {3} (poor fit: {4})")
    @MethodSource
    void theTwelveCombinationsNoRowNames(Level activation, Level engagement, CommunicationLevel communication,
            Persona goodOrUnknownFit, Persona poorFit) {
        assertThat(PersonaRule.match(activation, engagement, communication, null))
                .isEqualTo(new PersonaRule.Match(goodOrUnknownFit, true));
        assertThat(PersonaRule.match(activation, engagement, communication, Fit.GOOD))
                .isEqualTo(new PersonaRule.Match(goodOrUnknownFit, true));
        assertThat(PersonaRule.match(activation, engagement, communication, Fit.POOR))
                .isEqualTo(new PersonaRule.Match(poorFit, true));
    }

    @Test
    void expectedValueIsDealTimesTheDefinitionsOddsRoundedHalfEven() {
        Lead seed = Lead.of(null, Plan.TRIAL, Level.HIGH, Level.HIGH, CommunicationLevel.LOW, null, 40_000_000_000L,
                null, 5L);
        Lead edited = Lead.of(null, Plan.TRIAL, Level.HIGH, Level.HIGH, CommunicationLevel.LOW, null, 40_000_000_000L,
                Map.of(Persona.SILENT_SUCCESS, 0.5), null);
        Lead noDeal = Lead.of(OutcomeKind.LOST, Plan.TRIAL, Level.HIGH, Level.HIGH, CommunicationLevel.LOW, null, null,
                null, null);

        assertThat(seed).isEqualTo(new Lead(LeadStatus.OPEN, Persona.SILENT_SUCCESS, false, 0.75, 30_000_000_000L, 5L));
        assertThat(edited.odds()).isEqualTo(0.5);
        assertThat(edited.expectedValueMicros()).isEqualTo(20_000_000_000L);
        assertThat(noDeal.expectedValueMicros()).isNull();
        assertThat(noDeal.status()).isEqualTo(LeadStatus.LOST);
        assertThat(Lead.expectedValueMicros(5, 0.9)).as("4.5 micros, half-even").isEqualTo(4);
        assertThat(Lead.expectedValueMicros(15, 0.9)).as("13.5 micros, half-even").isEqualTo(14);
    }
}
