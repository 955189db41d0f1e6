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

    /**
     * The largest quantity one product action counts for: ingest refuses more (events.proto), and a
     * definition's weights are at most 10^6, so one event is worth at most 10^15 points and
     * engagement, a sum of them, is always finite.
     */
    double MAX_QUANTITY = 1e9;

    /**
     * A stored quantity as the bound says: events stored before ingest had it keep whatever they
     * were sent with (1e308), and bytes no ingest accepted (NaN, negatives) count nothing.
     */
    static double boundedQuantity(double quantity) {
        return quantity > 0 ? Math.min(quantity, MAX_QUANTITY) : 0;
    }

    /** The latest profile wins; null fields keep their previous value. */
    record Profiled(String name, Long dealSizeMicros, String currency, OpportunitySize opportunitySize, String owner,
            Plan plan, Long trialStart, Long trialEnd, Fit fit) implements AccountEvent {
    }

    record UserIdentified(String userId, String email) implements AccountEvent {
    }

    /** A user did something in the product: the bulk of the traffic. The quantity is bounded on the way in. */
    record ActionPerformed(String userId, String action, double quantity) implements AccountEvent {
        public ActionPerformed {
            quantity = boundedQuantity(quantity);
        }
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
