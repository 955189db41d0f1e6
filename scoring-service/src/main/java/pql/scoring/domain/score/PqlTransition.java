package pql.scoring.domain.score;

import java.util.List;
import java.util.Locale;
import pql.scoring.domain.CommunicationLevel;
import pql.scoring.domain.Explanation;
import pql.scoring.domain.Level;
import pql.scoring.domain.OutcomeKind;
import pql.scoring.domain.PqlKind;
import pql.scoring.domain.TransitionKind;

/**
 * A change of an account's PQL status or levels at event time {@code at}: caused by the event at
 * {@code logPosition}, or by time alone ({@code timeDriven}: decay, a window letting go; then
 * {@code logPosition} is that of the account's newest event). Replays produce many of these, so the
 * explanation text is built only when asked.
 *
 * @param closedBy the outcome that ended the trial when that is why the account is no PQL any more
 */
public record PqlTransition(
        String accountId,
        TransitionKind kind,
        int definitionVersion,
        long at,
        long logPosition,
        int kindsBeforeMask,
        int kindsAfterMask,
        Level activationLevel,
        Level engagementLevel,
        CommunicationLevel communicationLevel,
        Level activationBefore,
        Level engagementBefore,
        CommunicationLevel communicationBefore,
        String accountName,
        String owner,
        double activationRate,
        double engagementScore,
        OutcomeKind closedBy,
        boolean timeDriven) {

    public List<PqlKind> kindsBefore() {
        return PqlKind.fromMask(kindsBeforeMask);
    }

    public List<PqlKind> kindsAfter() {
        return PqlKind.fromMask(kindsAfterMask);
    }

    public Explanation explanation() {
        String text = switch (kind) {
            case BECAME_PQL -> "became a PQL: " + kindsAfter();
            case NO_LONGER_PQL -> closedBy != null ? "no longer a PQL: the trial ended " + closedBy
                    : "no longer a PQL: no kind applies any more (was " + kindsBefore() + ")";
            case KINDS_CHANGED -> "PQL kinds changed from " + kindsBefore() + " to " + kindsAfter();
            case LEVELS_CHANGED -> "levels changed: activation " + activationBefore + " -> " + activationLevel
                    + ", engagement " + engagementBefore + " -> " + engagementLevel + ", communication "
                    + communicationBefore + " -> " + communicationLevel;
        };
        if (timeDriven) {
            text += " (no event: time passed, " + (kind == TransitionKind.LEVELS_CHANGED ? "engagement decayed or a window"
                    + " let go of what it counted)" : "a behavioural trigger's window lapsed)");
        }
        return new Explanation("pql.transition." + kind.name().toLowerCase(Locale.ROOT), text, List.of(
                Explanation.factor("activation_rate", activationRate, "ratio"),
                Explanation.factor("engagement_score", engagementScore, "points")));
    }
}
