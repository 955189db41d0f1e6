package pql.scoring.alerts;

import pql.scoring.domain.CommunicationLevel;
import pql.scoring.domain.Level;
import pql.scoring.domain.PqlKind;
import pql.scoring.domain.TransitionKind;
import pql.scoring.domain.score.PqlTransition;

/** Transitions for the alert tests. */
final class Transitions {

    private Transitions() {
    }

    static PqlTransition becamePql(String account, long at, PqlKind kind) {
        return transition(account, TransitionKind.BECAME_PQL, at, 0, kind.bit(), "owner@example.com");
    }

    static PqlTransition transition(String account, TransitionKind kind, long at, int kindsBefore, int kindsAfter,
            String owner) {
        return new PqlTransition(account, kind, 1, at, 42, kindsBefore, kindsAfter, Level.HIGH, Level.HIGH,
                CommunicationLevel.ACTIVE, Level.MEDIUM, Level.HIGH, CommunicationLevel.LOW, "Acme " + account, owner,
                0.8, 120.5, null, false);
    }
}
