package pql.ingest.app;

import io.opentelemetry.context.Context;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import pql.v1.EventEnvelope;

/**
 * A call's events after validation: rejected items already answered, the valid ones encoded and
 * grouped by account stream, ready for one store append. Also what the call costs the budget.
 */
public final class PreparedBatch {

    private final ItemResult[] results;
    private final List<StreamGroup> groups;
    private final int storableEvents;
    private final long storableBytes;
    private final Context context;

    PreparedBatch(ItemResult[] results, List<StreamGroup> groups, int storableEvents, long storableBytes, Context context) {
        this.results = results;
        this.groups = groups;
        this.storableEvents = storableEvents;
        this.storableBytes = storableBytes;
        this.context = context;
    }

    /** Events to append (valid ones); 0 when every item was rejected. */
    public int storableEvents() {
        return storableEvents;
    }

    /** Encoded size of the events to append: what they hold in memory until durable. */
    public long storableBytes() {
        return storableBytes;
    }

    public int size() {
        return results.length;
    }

    /** The outcome when nothing needs appending (every item rejected). */
    BatchOutcome outcomeWithoutAppend() {
        if (storableEvents > 0) {
            throw new IllegalStateException("this batch has events to append");
        }
        return BatchOutcome.of(results.clone());
    }

    /** Why item {@code index} cannot be stored, or null when it is valid (for a validate-only call). */
    public ItemResult.Rejected rejection(int index) {
        return results[index] instanceof ItemResult.Rejected rejected ? rejected : null;
    }

    ItemResult[] results() {
        return results;
    }

    List<StreamGroup> groups() {
        return groups;
    }

    /** The context of the call that sent the events: parent of the append span. */
    Context context() {
        return context;
    }

    /** The valid events of one stream (an account's, or the exchange rates'), in request order, with their request indexes. */
    static final class StreamGroup {
        final String streamId;
        final List<EventEnvelope> envelopes = new ArrayList<>();
        /** Request index of each envelope (ints, not a list of boxed ones: this runs per event). */
        private int[] indexes = new int[8];

        StreamGroup(String streamId) {
            this.streamId = streamId;
        }

        void add(int index, EventEnvelope envelope) {
            if (envelopes.size() == indexes.length) {
                indexes = Arrays.copyOf(indexes, indexes.length * 2);
            }
            indexes[envelopes.size()] = index;
            envelopes.add(envelope);
        }

        /** The request index of the group's {@code n}th envelope. */
        int index(int n) {
            return indexes[n];
        }

        int size() {
            return envelopes.size();
        }
    }
}
