package pql.cli;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import pql.v1.Money;
import pql.v1.Persona;
import pql.v1.ProductComplexity;
import pql.v1.ScoringDefinition;

class FormatsTest {

    @Test
    void moneyIsWholeUnitsRoundedHalfEven() {
        assertThat(Formats.money(Money.newBuilder().setAmountMicros(12_500_000).setCurrency("USD").build())).isEqualTo("12 USD");
        assertThat(Formats.money(Money.newBuilder().setAmountMicros(13_500_000).setCurrency("EUR").build())).isEqualTo("14 EUR");
    }

    @Test
    void aDefinitionTakesEnumValuesInTheirShortFormAsTheCommandLineDoes() throws IOException {
        ScoringDefinition.Builder definition = ScoringDefinition.newBuilder();

        Formats.parseYamlOrJson("""
                name: short enums
                product_complexity: intermediate
                personaOdds:
                  - {persona: golden_lead, odds: 0.6}
                  - {persona: silent-success, odds: 0.3}
                  - {persona: PERSONA_FIZZLER, odds: 0.05}
                """, definition);

        assertThat(definition.getProductComplexity()).isEqualTo(ProductComplexity.PRODUCT_COMPLEXITY_INTERMEDIATE);
        assertThat(definition.getPersonaOddsList()).extracting(odds -> odds.getPersona())
                .containsExactly(Persona.PERSONA_GOLDEN_LEAD, Persona.PERSONA_SILENT_SUCCESS, Persona.PERSONA_FIZZLER);
    }

    @Test
    void anUnknownEnumValueInADefinitionNamesTheFieldAndListsTheShortForms() {
        assertThatThrownBy(() -> Formats.parseYamlOrJson("""
                persona_odds:
                  - {persona: golden_lead, odds: 0.6}
                  - {persona: golden, odds: 0.3}
                """, ScoringDefinition.newBuilder()))
                .isInstanceOf(DefinitionFileException.class)
                .hasMessageStartingWith("line 3, column 15: persona_odds[1].persona: unknown value 'golden'; one of golden_lead, silent_success");
    }

    /** Issue #15: "Cannot find field: small_treshold in message pql.v1.PqlRule", first error only, no line. */
    @Test
    void everyProblemOfADefinitionIsReportedAtOnceWithItsLineAndADidYouMean() {
        assertThatThrownBy(() -> Formats.parseYamlOrJson("""
                name: v2
                product_complexity: hard
                pql:
                  small_treshold: 0.5
                  mid_threshold: lots
                persona_odds:
                  - {persona: golden, odds: 0.6}
                opportunity_bands:
                  mid_from: 10,000 USD
                  large_from: 50,000 EUR
                engagment: {}
                """, ScoringDefinition.newBuilder()))
                .isInstanceOf(DefinitionFileException.class)
                .hasMessage(String.join(System.lineSeparator(), "6 problems:",
                        "  line 2, column 21: product_complexity: unknown value 'hard'; one of simple, intermediate, complex",
                        "  line 4, column 3: pql.small_treshold: unknown field; did you mean small_threshold?",
                        "  line 5, column 18: pql.mid_threshold: expected a number, was 'lots'",
                        "  line 7, column 15: persona_odds[0].persona: unknown value 'golden'; one of golden_lead, silent_success,"
                                + " contrary_converter, positive_procrastinator, fizzler, incompatible_ignoramus, heartbreaker",
                        "  line 10, column 15: opportunity_bands.large_from: currency EUR differs from USD in"
                                + " opportunity_bands.mid_from; every amount of a definition is in one currency",
                        "  line 11, column 1: engagment: unknown field; did you mean engagement?"));
    }

    @Test
    void anUnknownFieldFarFromEveryNameListsTheFieldsThere() {
        assertThatThrownBy(() -> Formats.parseYamlOrJson("communication: {threshold_count: 3}\n", ScoringDefinition.newBuilder()))
                .hasMessage("line 1, column 17: communication.threshold_count: unknown field; the fields here are"
                        + " window_days, active_threshold");
    }

    @Test
    void wrongTypesAreNamedAsSuch() {
        assertThatThrownBy(() -> Formats.parseYamlOrJson("""
                pql: 0.5
                communication:
                  window_days: 1.5
                persona_odds: {persona: fizzler}
                """, ScoringDefinition.newBuilder()))
                .hasMessageContaining("line 1, column 6: pql: expected a mapping (field: value), was '0.5'")
                .hasMessageContaining("line 3, column 16: communication.window_days: expected a whole number, was '1.5'")
                .hasMessageContaining("line 4, column 15: persona_odds: expected a list");
    }

    @Test
    void jsonErrorsHaveLinesToo() {
        assertThatThrownBy(() -> Formats.parseYamlOrJson("{\n  \"name\": \"v2\",\n  \"pql\": {\"midThreshhold\": 0.3}\n}",
                ScoringDefinition.newBuilder()))
                .hasMessage("line 3, column 11: pql.midThreshhold: unknown field; did you mean mid_threshold?");
    }

    @Test
    void syntaxErrorsAreTheDocumentedExceptionWithALine() {
        assertThatThrownBy(() -> Formats.parseYamlOrJson("name: [unclosed\n", ScoringDefinition.newBuilder()))
                .isInstanceOf(DefinitionFileException.class).hasMessageStartingWith("line 1, column 16: not valid YAML or JSON: while parsing a flow sequence;"
                        + " expected ',' or ']', but got <stream end>");
        assertThatThrownBy(() -> Formats.parseYamlOrJson("- a\n", ScoringDefinition.newBuilder()))
                .isInstanceOf(DefinitionFileException.class).hasMessage("expected a YAML or JSON object");
    }

    @Test
    void oddValuesAreProblemsOfTheDocumentedTypeNeverAnotherException() {
        for (String text : new String[] {"pql: {mid_threshold: .nan}\n", "opportunity_bands: {mid_from: .inf}\n",
                "opportunity_bands: {mid_from: 1e400}\n", "excluded: " + "[".repeat(5000) + "]".repeat(5000) + "\n",
                "engagement: {excluded_actions: " + "[".repeat(40) + "]".repeat(40) + "}\n", "name: &a [*a]\n", "\t- :\n",
                "persona_odds: [{persona: 99}]\n", "communication: {window_days: 99999999999}\n"}) {
            assertThatThrownBy(() -> Formats.parseYamlOrJson(text, ScoringDefinition.newBuilder()))
                    .as(text.length() > 60 ? text.substring(0, 60) : text).isInstanceOf(DefinitionFileException.class);
        }
    }

    /** Issue #15: money bands were in micros. */
    @Test
    void amountsAreWrittenInCurrencyUnitsAndSentInMicros() throws IOException {
        for (String written : new String[] {"10000", "10,000", "10,000 USD", "\"10000.0\"", "10000 usd"}) {
            ScoringDefinition.Builder definition = ScoringDefinition.newBuilder();
            Formats.parseYamlOrJson("opportunity_bands:\n  mid_from: " + written + "\n  large_from: 50000\n", definition);
            assertThat(definition.getOpportunityBands().getMidFromMicros()).as(written).isEqualTo(10_000_000_000L);
            assertThat(definition.getOpportunityBands().getLargeFromMicros()).isEqualTo(50_000_000_000L);
        }
        ScoringDefinition.Builder wire = ScoringDefinition.newBuilder();
        Formats.parseYamlOrJson("opportunityBands: {midFromMicros: 2500000}\n", wire);
        assertThat(wire.getOpportunityBands().getMidFromMicros()).as("the wire form still works").isEqualTo(2_500_000L);
        assertThatThrownBy(() -> Formats.parseYamlOrJson("opportunity_bands:\n  mid_from: 10.000,00\n  large_from: 5 XYZ\n",
                ScoringDefinition.newBuilder()))
                .hasMessageContaining("opportunity_bands.mid_from: expected an amount in currency units such as 10000, 10,000"
                        + " or 10,000 USD, was '10.000,00'")
                .hasMessageContaining("opportunity_bands.large_from: unknown currency 'XYZ'");
    }

    @Test
    void yamlPrintsAmountsInCurrencyUnitsThatReadBackTheSame() throws IOException {
        ScoringDefinition definition = ScoringDefinition.newBuilder().setName("bands")
                .setOpportunityBands(pql.v1.OpportunityBands.newBuilder().setMidFromMicros(10_000_000_000L)
                        .setLargeFromMicros(50_000_500_000L))
                .build();

        String yaml = Formats.yaml(definition);
        ScoringDefinition.Builder back = ScoringDefinition.newBuilder();
        Formats.parseYamlOrJson(yaml, back);

        assertThat(yaml).contains("mid_from: \"10,000\"").contains("large_from: \"50,000.5\"").doesNotContain("micros");
        assertThat(back.build()).isEqualTo(definition);
    }

    @Test
    void aTotalBeyondAnInt64OfMicrosIsPrintedFromItsExactAmount() {
        Money pipeline = Money.newBuilder().setAmountMicros(Long.MAX_VALUE).setExactAmount("18446744073709.551614")
                .setCurrency("USD").build();

        assertThat(Formats.money(pipeline)).isEqualTo("18,446,744,073,710 USD");
    }
}
