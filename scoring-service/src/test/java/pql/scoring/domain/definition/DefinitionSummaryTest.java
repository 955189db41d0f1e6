package pql.scoring.domain.definition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import pql.scoring.domain.ProductComplexity;

/** Descriptions made from a definition's values (issue #15: the preset's description hard-coded "MID 50%"). */
class DefinitionSummaryTest {

    @Test
    void thePresetDescribesItsOwnThresholdsTriggersAndBands() {
        ScoringDefinition intermediate = DefinitionPresets.forComplexity(ProductComplexity.INTERMEDIATE);

        assertThat(intermediate.description()).isEqualTo("Intermediately complex product: seed 000's rule of thumb."
                + " PQL at activation SMALL 75%, MID 50%, LARGE 25%, or on message_sent >= 2000 or invoice_submitted >= 10"
                + " within 14 days; 6-step activation checklist; deal sizes MID from 10,000, LARGE from 50,000;"
                + " engagement over " + (intermediate.engagement().windowDays() == 0 ? "all time"
                        : intermediate.engagement().windowDays() + " days")
                + (intermediate.engagement().halfLifeDays() == 0 ? ""
                        : ", half-life " + Numbers.plain(intermediate.engagement().halfLifeDays()) + " days") + ".");
        assertThat(DefinitionPresets.forComplexity(ProductComplexity.COMPLEX).description())
                .contains("SMALL 50%, MID 25%, LARGE 10%").doesNotContain("MID 50%");
    }

    @Test
    void anEditedThresholdChangesTheDescription() {
        ScoringDefinition preset = DefinitionPresets.forComplexity(ProductComplexity.INTERMEDIATE);
        ScoringDefinition edited = new ScoringDefinition("v2", "", preset.productComplexity(), preset.steps(),
                preset.engagement(), preset.communication(), preset.levels(),
                new ScoringDefinition.PqlRule(0.75, 0.30, 0.25, List.of()), preset.opportunityBands(), preset.personaOdds());

        assertThat(DefinitionSummary.of(edited)).startsWith("PQL at activation SMALL 75%, MID 30%, LARGE 25%; 6-step");
        assertThat(DefinitionValidator.validate(edited).definition().description()).isEqualTo(DefinitionSummary.of(edited));
    }

    @Test
    void bandsKeepTheirCentsWhenTheyHaveSome() {
        assertThat(DefinitionSummary.units(10_000_500_000L)).isEqualTo("10,000.5");
        assertThat(DefinitionSummary.units(1_000_000L)).isEqualTo("1");
    }
}
