package pql.forecast.domain;

import java.util.List;

/**
 * Which persona row a combination of levels and fit lands on, and how.
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

    /** True when no row of the table names exactly these levels and this fit. */
    public boolean approximate() {
        return kind == Kind.NEAREST || kind == Kind.FIT_UNKNOWN;
    }
}
