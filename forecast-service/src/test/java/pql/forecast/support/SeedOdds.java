package pql.forecast.support;

import java.util.EnumMap;
import java.util.Map;
import pql.forecast.domain.Odds;
import pql.forecast.domain.Persona;
import pql.forecast.domain.PersonaOdds;

/**
 * Seed 004's odds of conversion as the tests expect scoring-service's presets to carry them (Golden
 * Lead 90%, Silent Success 75%, Contrary Converter 60%, Positive Procrastinator 30%, Fizzler 10%,
 * Incompatible Ignoramus 5%, Heartbreaker 5%): what the domain tests compute with and what the fake
 * scoring-service answers GetDefinitionPreset with. Forecast's main code types no odds; it takes
 * them from scoring-service.
 */
public final class SeedOdds {

    /** Per persona, in the seed's order. */
    public static final Map<Persona, Odds> DEFAULTS = defaults();

    private static final PersonaOdds SEED = PersonaOdds.of(Map.of(), DEFAULTS);

    private SeedOdds() {
    }

    /** Every persona at the seed's odds, none of them a version's own. */
    public static PersonaOdds seed() {
        return SEED;
    }

    /** The seed's odds with these personas changed by a version. */
    public static PersonaOdds withOverrides(Map<Persona, Odds> overrides) {
        return PersonaOdds.of(overrides, DEFAULTS);
    }

    private static Map<Persona, Odds> defaults() {
        Map<Persona, Odds> odds = new EnumMap<>(Persona.class);
        odds.put(Persona.GOLDEN_LEAD, Odds.of("0.90"));
        odds.put(Persona.SILENT_SUCCESS, Odds.of("0.75"));
        odds.put(Persona.CONTRARY_CONVERTER, Odds.of("0.60"));
        odds.put(Persona.POSITIVE_PROCRASTINATOR, Odds.of("0.30"));
        odds.put(Persona.FIZZLER, Odds.of("0.10"));
        odds.put(Persona.INCOMPATIBLE_IGNORAMUS, Odds.of("0.05"));
        odds.put(Persona.HEARTBREAKER, Odds.of("0.05"));
        return Map.copyOf(odds);
    }
}
