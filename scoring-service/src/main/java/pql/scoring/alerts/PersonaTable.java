package pql.scoring.alerts;

import pql.scoring.domain.CommunicationLevel;
import pql.scoring.domain.Fit;
import pql.scoring.domain.Level;
import pql.scoring.domain.Persona;

/**
 * Seed 004's persona table, for the persona an alert names and a subscription filters on: the same
 * rule forecast-service's PersonaClassifier applies (the row with these levels; otherwise the nearest
 * by level steps, ties to the later row, i.e. the lower odds; LOW/LOW/ACTIVE told apart by fit, good
 * fit when unknown). Kept here because scoring cannot ask forecast-service on its projection thread.
 */
final class PersonaTable {

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

    private PersonaTable() {
    }

    /** @param fit null when unknown (taken as good fit) */
    static Persona of(Level activation, Level engagement, CommunicationLevel communication, Fit fit) {
        if (activation == null || engagement == null || communication == null) {
            return null;
        }
        Fit assumed = fit == null ? Fit.GOOD : fit;
        Persona best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Row row : ROWS) {
            if (row.fit() != null && row.fit() != assumed) {
                continue;
            }
            int distance = Math.abs(row.activation().ordinal() - activation.ordinal())
                    + Math.abs(row.engagement().ordinal() - engagement.ordinal())
                    + Math.abs(row.communication().ordinal() - communication.ordinal());
            if (distance <= bestDistance) {
                best = row.persona();
                bestDistance = distance;
            }
        }
        return best;
    }
}
