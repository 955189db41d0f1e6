package pql.forecast.domain;

import java.util.List;

/**
 * Which persona row a combination of levels and fit lands on, and how. scoring-service applies the
 * rule (seed 004's table, nearest row, ties to the lower odds) and reports the persona with its
 * distance and ties; this is that answer in the forecast's terms, which its explanations read.
 *
 * @param ties other rows exactly as near as the chosen one (only for {@link Kind#NEAREST})
 */
public record PersonaMatch(Persona persona, Kind kind, Levels levels, Fit fit, int distance, List<Persona> ties) {

    public enum Kind {
        /** The levels are a row of the seed's table. */
        EXACT("persona.exact"),
        /** LOW/LOW/ACTIVE, split by a known fit (Positive Procrastinator or Incompatible Ignoramus). */
        EXACT_BY_FIT("persona.exact_by_fit"),
        /** LOW/LOW/ACTIVE with no fit on record: taken as good fit. */
        FIT_UNKNOWN("persona.fit_unknown"),
        /** No row names these levels: the nearest row by level distance. */
        NEAREST("persona.nearest");

        private final String rule;

        Kind(String rule) {
            this.rule = rule;
        }

        public String rule() {
            return rule;
        }
    }

    public PersonaMatch {
        ties = List.copyOf(ties);
    }

    /**
     * The kind of match scoring's answer is: a distance means the nearest row; at distance 0 an
     * approximate answer is LOW/LOW/ACTIVE without a fit on record, and a fit-split row was split by fit.
     */
    public static PersonaMatch reported(Persona persona, boolean approximate, int distance, List<Persona> ties,
            Levels levels, Fit fit) {
        Kind kind;
        if (distance > 0) {
            kind = Kind.NEAREST;
        } else if (approximate) {
            kind = Kind.FIT_UNKNOWN;
        } else if (persona.fitRequirement() != Persona.FitRequirement.ANY) {
            kind = Kind.EXACT_BY_FIT;
        } else {
            kind = Kind.EXACT;
        }
        return new PersonaMatch(persona, kind, levels, fit, distance, kind == Kind.NEAREST ? ties : List.of());
    }

    /** True when no row of the table names exactly these levels and this fit. */
    public boolean approximate() {
        return kind == Kind.NEAREST || kind == Kind.FIT_UNKNOWN;
    }
}
