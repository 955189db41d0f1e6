package pql.forecast.app;

import java.util.Objects;
import pql.forecast.domain.Persona;
import pql.forecast.domain.PersonaOdds;

/** A definition version as the forecast needs it: its number and its persona odds. */
public record DefinitionOdds(int version, PersonaOdds odds, String label) {

    private static final String SEED = "seed 004 default";

    public DefinitionOdds {
        Objects.requireNonNull(odds, "odds");
        Objects.requireNonNull(label, "label");
    }

    public DefinitionOdds(int version, PersonaOdds odds) {
        this(version, odds, "definition v" + version);
    }

    /** Where a persona's odds come from, for explanations: "definition v3" or "seed 004 default". */
    public String oddsSource(Persona persona) {
        return odds.isOverridden(persona) ? label : SEED;
    }
}
