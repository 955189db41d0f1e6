package pql.forecast.domain;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The conversion odds of each persona under one definition version. A version may override any
 * persona; the others keep seed 004's odds.
 */
public final class PersonaOdds {

    private static final PersonaOdds SEED = new PersonaOdds(Map.of());

    private final EnumMap<Persona, Odds> odds = new EnumMap<>(Persona.class);
    private final EnumMap<Persona, Boolean> overridden = new EnumMap<>(Persona.class);

    private PersonaOdds(Map<Persona, Odds> overrides) {
        for (Persona persona : Persona.values()) {
            Odds given = overrides.get(persona);
            odds.put(persona, given != null ? given : persona.seedOdds());
            overridden.put(persona, given != null);
        }
    }

    /** Seed 004: Golden 90%, Silent Success 75%, Contrary Converter 60%, Positive Procrastinator 30%, Fizzler 10%, Incompatible Ignoramus 5%, Heartbreaker 5%. */
    public static PersonaOdds seed() {
        return SEED;
    }

    /** The seed's odds with these personas changed. */
    public static PersonaOdds withOverrides(Map<Persona, Odds> overrides) {
        return overrides.isEmpty() ? SEED : new PersonaOdds(overrides);
    }

    public Odds of(Persona persona) {
        return odds.get(persona);
    }

    /** True when the definition version set this persona's odds itself. */
    public boolean isOverridden(Persona persona) {
        return overridden.get(persona);
    }

    public Map<Persona, Odds> asMap() {
        return Collections.unmodifiableMap(odds);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PersonaOdds that && odds.equals(that.odds);
    }

    @Override
    public int hashCode() {
        return odds.hashCode();
    }

    @Override
    public String toString() {
        return odds.toString();
    }
}
