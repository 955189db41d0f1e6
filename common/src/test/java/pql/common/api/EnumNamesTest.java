package pql.common.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import pql.v1.AccountOrder;
import pql.v1.OpportunitySize;
import pql.v1.Persona;

class EnumNamesTest {

    @Test
    void everyFormOfAShortNameFindsTheValue() {
        for (String form : new String[] {"golden_lead", "golden-lead", "GOLDEN_LEAD", "Golden-Lead", " golden_lead ",
            "PERSONA_GOLDEN_LEAD", "persona_golden_lead"}) {
            assertThat(EnumNames.find(Persona.getDescriptor(), form)).as(form)
                    .hasValue(Persona.PERSONA_GOLDEN_LEAD.getValueDescriptor());
        }
        assertThat(EnumNames.find(OpportunitySize.getDescriptor(), "mid")).hasValue(OpportunitySize.OPPORTUNITY_SIZE_MID.getValueDescriptor());
    }

    @Test
    void theZeroValueAndUnknownNamesAreNoChoice() {
        assertThat(EnumNames.find(Persona.getDescriptor(), "unspecified")).isEmpty();
        assertThat(EnumNames.find(Persona.getDescriptor(), "golden")).isEmpty();
        assertThat(EnumNames.find(Persona.getDescriptor(), "")).isEmpty();
        assertThat(EnumNames.find(Persona.getDescriptor(), null)).isEmpty();
    }

    @Test
    void anUnknownNameIsAnErrorListingTheShortNames() {
        assertThatThrownBy(() -> EnumNames.parse(Persona.getDescriptor(), "golden", "--persona"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--persona: unknown value 'golden'; one of ")
                .hasMessageContaining("golden_lead")
                .hasMessageNotContaining("PERSONA_")
                .hasMessageNotContaining("unspecified");
    }

    @Test
    void thePrefixIsTheTypeNameInUpperSnakeCase() {
        assertThat(EnumNames.prefix(OpportunitySize.getDescriptor())).isEqualTo("OPPORTUNITY_SIZE_");
        assertThat(EnumNames.shortName(AccountOrder.ACCOUNT_ORDER_QUALIFIED_AT_DESC.getValueDescriptor())).isEqualTo("qualified_at_desc");
        assertThat(EnumNames.shortNames(OpportunitySize.getDescriptor())).containsExactly("small", "mid", "large");
    }
}
