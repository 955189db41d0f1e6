package pql.forecast.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * Seed 004's persona table as a rule: a trial's activation, engagement and communication levels
 * (plus fit, for LOW/LOW/ACTIVE) name its persona.
 *
 * <p>The table names 6 of the 18 level combinations. The other 12 go to the nearest row by
 * <em>level distance</em>: the number of level steps between them, summed over the three
 * indicators (LOW-MEDIUM-HIGH are one step apart, LOW-ACTIVE one step). Ties go to the row that
 * comes later in the seed's table, which is the row with the lower seed odds: an ambiguous
 * combination never inflates the forecast. The tie-break uses the seed's order, not a version's
 * edited odds, so that a persona depends on levels alone and two versions with the same levels
 * but different odds classify alike.
 *
 * <p>Fit only matters where the seed needs it. Without a fit on record, LOW/LOW/ACTIVE is taken
 * as good fit (Positive Procrastinator) and marked approximate: the seed makes Incompatible
 * Ignoramus the trial that lacks budget and resources, which needs a poor fit on record to say.
 *
 * <p>Every answer is precomputed (3 x 3 x 2 levels x 3 fits), so classifying is a lookup.
 */
public final class PersonaClassifier {

    private final PersonaMatch[] table = new PersonaMatch[Level.values().length * Level.values().length
            * CommunicationLevel.values().length * Fit.values().length];

    public PersonaClassifier() {
        for (Level activation : Level.values()) {
            for (Level engagement : Level.values()) {
                for (CommunicationLevel communication : CommunicationLevel.values()) {
                    for (Fit fit : Fit.values()) {
                        Levels levels = new Levels(activation, engagement, communication);
                        table[index(activation, engagement, communication, fit)] = decide(levels, fit);
                    }
                }
            }
        }
    }

    public PersonaMatch match(Levels levels, Fit fit) {
        return table[index(levels.activation(), levels.engagement(), levels.communication(), fit)];
    }

    public PersonaMatch match(Level activation, Level engagement, CommunicationLevel communication, Fit fit) {
        return table[index(activation, engagement, communication, fit)];
    }

    private static int index(Level activation, Level engagement, CommunicationLevel communication, Fit fit) {
        return ((activation.ordinal() * 3 + engagement.ordinal()) * 2 + communication.ordinal()) * 3 + fit.ordinal();
    }

    private static PersonaMatch decide(Levels levels, Fit fit) {
        List<Persona> candidates = new ArrayList<>();
        for (Persona persona : Persona.values()) {
            if (admits(persona.fitRequirement(), fit)) {
                candidates.add(persona);
            }
        }
        int best = Integer.MAX_VALUE;
        for (Persona persona : candidates) {
            best = Math.min(best, persona.indicators().distanceTo(levels));
        }
        List<Persona> nearest = new ArrayList<>();
        for (Persona persona : candidates) {
            if (persona.indicators().distanceTo(levels) == best) {
                nearest.add(persona);
            }
        }
        // Later in the seed's table = lower seed odds.
        Persona chosen = nearest.get(nearest.size() - 1);
        List<Persona> ties = nearest.subList(0, nearest.size() - 1);
        if (best > 0) {
            return new PersonaMatch(chosen, PersonaMatch.Kind.NEAREST, levels, fit, best, ties);
        }
        if (chosen.fitRequirement() == Persona.FitRequirement.ANY) {
            return new PersonaMatch(chosen, PersonaMatch.Kind.EXACT, levels, fit, 0, List.of());
        }
        PersonaMatch.Kind kind = fit == Fit.UNKNOWN ? PersonaMatch.Kind.FIT_UNKNOWN : PersonaMatch.Kind.EXACT_BY_FIT;
        return new PersonaMatch(chosen, kind, levels, fit, 0, List.of());
    }

    private static boolean admits(Persona.FitRequirement requirement, Fit fit) {
        return switch (requirement) {
            case ANY -> true;
            case GOOD -> fit == Fit.GOOD || fit == Fit.UNKNOWN;
            case POOR -> fit == Fit.POOR;
        };
    }
}
