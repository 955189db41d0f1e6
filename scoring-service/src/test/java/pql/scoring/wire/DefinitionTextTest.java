package pql.scoring.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import pql.scoring.domain.ProductComplexity;
import pql.scoring.domain.definition.DefinitionPresets;
import pql.scoring.domain.definition.DefinitionValidator;
import pql.v1.ScoringDefinition;

class DefinitionTextTest {

    private static final ScoringDefinition PRESET = DefinitionProtos.toProto(
            DefinitionPresets.forComplexity(ProductComplexity.INTERMEDIATE));

    @Test
    void yamlAndJsonRoundTrip() throws Exception {
        String yaml = DefinitionText.toYaml(PRESET);
        assertThat(yaml).contains("productComplexity: PRODUCT_COMPLEXITY_INTERMEDIATE").contains("smallThreshold: 0.75");
        assertThat(DefinitionText.fromYaml(yaml)).isEqualTo(PRESET);
        assertThat(DefinitionText.parse(DefinitionText.toJson(PRESET))).isEqualTo(PRESET);
        assertThat(DefinitionText.parse(yaml)).isEqualTo(PRESET);
    }

    @Test
    void handWrittenYamlWithProtoFieldNamesParses() throws Exception {
        ScoringDefinition parsed = DefinitionText.fromYaml("""
                name: invoices count double
                product_complexity: PRODUCT_COMPLEXITY_COMPLEX
                activation:
                  steps:
                    - {key: invoice_sent, action: invoice_submitted, min_count: 3}
                pql:
                  small_threshold: 0.5
                  mid_threshold: 0.25
                  large_threshold: 0.1
                  triggers:
                    - {action: invoice_submitted, count: 10, within_days: 14}
                """);
        var report = DefinitionValidator.validate(DefinitionProtos.toDraft(parsed, new ArrayList<>()));
        assertThat(report.errors()).isEmpty();
        assertThat(report.warnings()).extracting(v -> v.field()).containsExactly("activation.steps");
        assertThat(report.definition().pql().triggers().get(0).withinDays()).isEqualTo(14);
        assertThat(report.definition().engagement()).as("filled from the preset").isEqualTo(DefinitionPresets.engagement());
    }

    @Test
    void unknownFieldsAndEnumNamesAreRefusedWithTheirName() {
        assertThatThrownBy(() -> DefinitionText.fromYaml("name: x\nthreshold: 3\n"))
                .isInstanceOf(DefinitionText.DefinitionFormatException.class).hasMessageContaining("threshold");
        assertThatThrownBy(() -> DefinitionText.fromYaml("product_complexity: VERY_HARD\n"))
                .isInstanceOf(DefinitionText.DefinitionFormatException.class).hasMessageContaining("VERY_HARD");
        assertThatThrownBy(() -> DefinitionText.fromYaml("name: [unclosed\n"))
                .isInstanceOf(DefinitionText.DefinitionFormatException.class).hasMessageContaining("line");
    }
}
