package pql.scoring.domain.event;

import pql.scoring.domain.Direction;
import pql.scoring.domain.Fit;
import pql.scoring.domain.OpportunitySize;
import pql.scoring.domain.OutcomeKind;
import pql.scoring.domain.Plan;
import pql.scoring.domain.Sentiment;

/**
 * The facts about an account that scoring reads, decoded from the stored envelopes. Times are epoch
 * milliseconds of event time. Optional values are null when the event did not carry them.
 */
public sealed interface AccountEvent {

    /** The latest profile wins; null fields keep their previous value. */
    record Profiled(String name, Long dealSizeMicros, String currency, OpportunitySize opportunitySize, String owner,
            Plan plan, Long trialStart, Long trialEnd, Fit fit) implements AccountEvent {
    }

    record UserIdentified(String userId, String email) implements AccountEvent {
    }

    /** A user did something in the product: the bulk of the traffic. */
    record ActionPerformed(String userId, String action, double quantity) implements AccountEvent {
    }

    record Communicated(String userId, Direction direction, boolean responded, Sentiment sentiment)
            implements AccountEvent {
    }

    /** A hand-raiser (seed 003). */
    record SalesAssistanceRequested(String userId) implements AccountEvent {
    }

    record PlanLimitReached(String limit, String userId, double usage, double limitValue) implements AccountEvent {
    }

    record OutcomeRecorded(OutcomeKind kind, long amountMicros, String currency, boolean salesTouched)
            implements AccountEvent {
    }
}
