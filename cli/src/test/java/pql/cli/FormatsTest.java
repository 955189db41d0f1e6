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
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("persona_odds[1].persona: unknown value 'golden'; one of golden_lead, silent_success");
    }

    @Test
    void aTotalBeyondAnInt64OfMicrosIsPrintedFromItsExactAmount() {
        Money pipeline = Money.newBuilder().setAmountMicros(Long.MAX_VALUE).setExactAmount("18446744073709.551614")
                .setCurrency("USD").build();

        assertThat(Formats.money(pipeline)).isEqualTo("18,446,744,073,710 USD");
    }
}
