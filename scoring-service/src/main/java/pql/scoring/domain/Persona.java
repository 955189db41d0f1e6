package pql.scoring.domain;

/**
 * The seven trial personas of seed 004 (classified by {@link PersonaRule}; odds live in the definition).
 * The seed's odds here are the suite's one source of those defaults: every validated definition
 * carries them for the personas its publisher left out, and forecast-service takes its odds from
 * the definitions (or, for a persona one lacks, from GetDefinitionPreset) instead of typing them.
 */
public enum Persona {
    GOLDEN_LEAD(0.90),
    SILENT_SUCCESS(0.75),
    CONTRARY_CONVERTER(0.60),
    POSITIVE_PROCRASTINATOR(0.30),
    FIZZLER(0.10),
    INCOMPATIBLE_IGNORAMUS(0.05),
    HEARTBREAKER(0.05);

    private final double seedOdds;

    Persona(double seedOdds) {
        this.seedOdds = seedOdds;
    }

    /** The chance of conversion seed 004 gives this persona. */
    public double seedOdds() {
        return seedOdds;
    }
}
