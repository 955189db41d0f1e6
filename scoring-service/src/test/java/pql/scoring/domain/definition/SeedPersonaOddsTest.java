package pql.scoring.domain.definition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import pql.scoring.domain.Persona;
import pql.scoring.domain.ProductComplexity;

/**
 * Seed 004's odds of conversion, which every preset carries and every definition takes for the
 * personas its publisher leaves out. Scoring is their one source: forecast-service reads them from
 * the definitions (and from GetDefinitionPreset), so these are the numbers its forecasts use.
 */
class SeedPersonaOddsTest {

    private static final Map<Persona, Double> SEED_004 = Map.of(
            Persona.GOLDEN_LEAD, 0.90,
            Persona.SILENT_SUCCESS, 0.75,
            Persona.CONTRARY_CONVERTER, 0.60,
            Persona.POSITIVE_PROCRASTINATOR, 0.30,
            Persona.FIZZLER, 0.10,
            Persona.INCOMPATIBLE_IGNORAMUS, 0.05,
            Persona.HEARTBREAKER, 0.05);

    @Test
    void theSevenPersonasHaveTheSeedsOdds() {
        assertThat(DefinitionPresets.seedPersonaOdds()).isEqualTo(SEED_004);
    }

    @Test
    void everyPresetCarriesTheSeedsOddsForEveryPersona() {
        for (ProductComplexity complexity : ProductComplexity.values()) {
            assertThat(DefinitionPresets.forComplexity(complexity).personaOdds()).as(complexity.name()).isEqualTo(SEED_004);
        }
    }
}
