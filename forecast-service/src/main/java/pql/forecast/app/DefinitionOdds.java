package pql.forecast.app;

import pql.forecast.domain.Persona;
import pql.forecast.domain.PersonaOdds;

/** A definition version as the forecast needs it: its number and its persona odds. */
public record DefinitionOdds(int version, PersonaOdds odds) {

    /** Where a persona's odds come from, for explanations: "definition v3" or "seed 004 default". */
    public String oddsSource(Persona persona) {
        return odds.isOverridden(persona) ? "definition v" + version : "seed 004 default";
    }
}
