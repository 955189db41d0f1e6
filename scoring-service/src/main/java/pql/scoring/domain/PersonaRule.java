package pql.scoring.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Seed 004's persona table as the suite's one rule: an account's activation, engagement and
 * communication levels (plus fit, for LOW/LOW/ACTIVE) name its persona. It lives in scoring's
 * domain because scoring owns every input (the levels, the profile's fit) and the odds (each
 * definition version's persona odds): alerts, the lead list and forecast-service read the persona
 * scoring computes instead of keeping their own copy of the table.
 *
 * <p>The table names 6 of the 18 level combinations. The other 12 go to the nearest row by level
 * distance (level steps summed over the three indicators); ties go to the row that comes later in
 * the seed's table, the one with the lower seed odds, so an ambiguous combination never inflates
 * expected value. Without a fit on record LOW/LOW/ACTIVE is taken as good fit (Positive
 * Procrastinator), marked approximate: Incompatible Ignoramus needs a poor fit on record to say.
 */
public final class PersonaRule {

    /**
     * The persona, whether no row of the table names exactly these levels and this fit, and why:
     * the level distance to the persona's row and the other rows exactly as near (seed order; the
     * persona is the row after them), so that readers can explain the rule without applying it.
     */
    public record Match(Persona persona, boolean approximate, int distance, List<Persona> ties) {

        public Match {
            ties = List.copyOf(ties);
        }
    }

    private record Row(Persona persona, Level activation, Level engagement, CommunicationLevel communication, Fit fit) {
    }

    private static final Row[] ROWS = {
        new Row(Persona.GOLDEN_LEAD, Level.HIGH, Level.HIGH, CommunicationLevel.ACTIVE, null),
        new Row(Persona.SILENT_SUCCESS, Level.HIGH, Level.HIGH, CommunicationLevel.LOW, null),
        new Row(Persona.CONTRARY_CONVERTER, Level.MEDIUM, Level.MEDIUM, CommunicationLevel.ACTIVE, null),
        new Row(Persona.POSITIVE_PROCRASTINATOR, Level.LOW, Level.LOW, CommunicationLevel.ACTIVE, Fit.GOOD),
        new Row(Persona.FIZZLER, Level.HIGH, Level.LOW, CommunicationLevel.LOW, null),
        new Row(Persona.INCOMPATIBLE_IGNORAMUS, Level.LOW, Level.LOW, CommunicationLevel.ACTIVE, Fit.POOR),
        new Row(Persona.HEARTBREAKER, Level.LOW, Level.LOW, CommunicationLevel.LOW, null),
    };

    private PersonaRule() {
    }

    /** @param fit null when unknown (taken as good fit); null when a level is unknown */
    public static Persona of(Level activation, Level engagement, CommunicationLevel communication, Fit fit) {
        Match match = match(activation, engagement, communication, fit);
        return match == null ? null : match.persona();
    }

    /** @param fit null when unknown (taken as good fit); null when a level is unknown */
    public static Match match(Level activation, Level engagement, CommunicationLevel communication, Fit fit) {
        if (activation == null || engagement == null || communication == null) {
            return null;
        }
        Fit assumed = fit == null ? Fit.GOOD : fit;
        Row best = null;
        int bestDistance = Integer.MAX_VALUE;
        List<Persona> asNear = new ArrayList<>();
        for (Row row : ROWS) {
            if (row.fit() != null && row.fit() != assumed) {
                continue;
            }
            int distance = Math.abs(row.activation().ordinal() - activation.ordinal())
                    + Math.abs(row.engagement().ordinal() - engagement.ordinal())
                    + Math.abs(row.communication().ordinal() - communication.ordinal());
            if (distance < bestDistance) {
                asNear.clear();
            } else if (distance == bestDistance) {
                asNear.add(best.persona());
            }
            if (distance <= bestDistance) {
                best = row;
                bestDistance = distance;
            }
        }
        boolean approximate = bestDistance > 0 || (best.fit() != null && fit == null);
        return new Match(best.persona(), approximate, bestDistance, asNear);
    }

    /** The persona's odds under a definition: its own when it sets them, else seed 004's. */
    public static double oddsOf(Persona persona, Map<Persona, Double> definitionOdds) {
        Double configured = definitionOdds == null ? null : definitionOdds.get(persona);
        return configured != null ? configured : persona.seedOdds();
    }
}
