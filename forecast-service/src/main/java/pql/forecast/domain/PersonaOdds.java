package pql.forecast.domain;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;

/**
 * The conversion odds of each persona under one definition version: the version's own, and for a
 * persona it leaves out the seed 004 default. Both come from scoring-service, which owns
 * definitions and the seed's defaults, so forecast types no odds of its own.
 */
public final class PersonaOdds {

    private final EnumMap<Persona, Odds> odds = new EnumMap<>(Persona.class);
    private final EnumMap<Persona, Boolean> overridden = new EnumMap<>(Persona.class);

    private PersonaOdds(Map<Persona, Odds> own, Map<Persona, Odds> defaults) {
        for (Persona persona : Persona.values()) {
            Odds given = own.get(persona);
            Odds odds = given != null ? given : defaults.get(persona);
            if (odds == null) {
                throw new IllegalArgumentException("no odds for " + persona + ", neither the version's own nor a default");
            }
            this.odds.put(persona, odds);
            overridden.put(persona, given != null);
        }
    }

    /**
     * A version's {@code own} odds, and {@code defaults} (seed 004's) for every persona it leaves out.
     *
     * @throws IllegalArgumentException when a persona is in neither
     */
    public static PersonaOdds of(Map<Persona, Odds> own, Map<Persona, Odds> defaults) {
        return new PersonaOdds(own, defaults);
    }

    /** True when {@code own} gives every persona its odds, so no defaults are needed. */
    public static boolean coversEveryPersona(Map<Persona, Odds> own) {
        return own.keySet().containsAll(EnumSet.allOf(Persona.class));
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
