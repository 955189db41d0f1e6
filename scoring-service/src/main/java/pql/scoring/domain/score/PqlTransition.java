package pql.scoring.domain.score;

import java.util.List;
import pql.scoring.domain.CommunicationLevel;
import pql.scoring.domain.Explanation;
import pql.scoring.domain.Level;
import pql.scoring.domain.PqlKind;
import pql.scoring.domain.TransitionKind;

/** A change of an account's PQL status or levels, caused by the event at {@code logPosition}. */
public record PqlTransition(
        String accountId,
        TransitionKind kind,
        int definitionVersion,
        long at,
        long logPosition,
        List<PqlKind> kindsBefore,
        List<PqlKind> kindsAfter,
        Level activationLevel,
        Level engagementLevel,
        CommunicationLevel communicationLevel,
        String accountName,
        String owner,
        Explanation explanation) {
}
