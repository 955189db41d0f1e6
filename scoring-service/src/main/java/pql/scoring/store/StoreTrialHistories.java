package pql.scoring.store;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import pql.eventstore.EventStore;
import pql.eventstore.StoredEvent;
import pql.eventstore.StreamIds;
import pql.eventstore.StreamVersions;
import pql.scoring.app.TrialHistorySource;
import pql.scoring.domain.OutcomeKind;
import pql.scoring.domain.discovery.ActionTimeline;
import pql.scoring.domain.discovery.TrialHistory;
import pql.scoring.domain.event.AccountEvent;
import pql.scoring.wire.EnvelopeDecoder;

/**
 * Closed trials read from the whole global log up to its head when asked: one pass, product actions
 * and outcomes only. An account closes at its earliest CONVERTED or LOST outcome by event time;
 * actions at or after that instant do not count, whatever order they were stored in.
 */
public final class StoreTrialHistories implements TrialHistorySource {

    private static final int PAGE = 4096;
    private static final String PRODUCT_ACTION = pql.v1.ProductAction.getDescriptor().getFullName();
    private static final String OUTCOME = pql.v1.Outcome.getDescriptor().getFullName();

    private final EventStore store;

    public StoreTrialHistories(EventStore store) {
        this.store = store;
    }

    @Override
    public List<TrialHistory> closedBetween(long fromMillis, long toMillis) {
        Map<String, AccountActions> accounts = new HashMap<>();
        Map<String, String> actionNames = new HashMap<>();
        long head = store.headPosition();
        long after = StreamVersions.BEFORE_FIRST_POSITION;
        while (after < head) {
            List<StoredEvent> page = store.readAll(after, PAGE);
            if (page.isEmpty()) {
                break;
            }
            for (StoredEvent stored : page) {
                after = stored.globalPosition();
                if (StreamIds.isAccountStream(stored.streamId())) {
                    read(stored, accounts, actionNames);
                }
            }
        }
        return accounts.entrySet().stream()
                .filter(entry -> entry.getValue().closedAt >= fromMillis && entry.getValue().closedAt < toMillis)
                .map(entry -> entry.getValue().toTrial(entry.getKey()))
                .toList();
    }

    private static void read(StoredEvent stored, Map<String, AccountActions> accounts, Map<String, String> actionNames) {
        String type = stored.envelope().getType();
        if (!PRODUCT_ACTION.equals(type) && !OUTCOME.equals(type)) {
            return; // profiles, communication and the like say nothing here: not worth parsing
        }
        AccountEvent event;
        try {
            event = EnvelopeDecoder.decode(stored.envelope());
        } catch (InvalidProtocolBufferException unreadable) {
            return; // scoring skips such an event too
        }
        long at = EnvelopeDecoder.occurredAtMillis(stored.envelope());
        if (event instanceof AccountEvent.ActionPerformed action) {
            String name = actionNames.computeIfAbsent(action.action(), n -> n);
            accounts.computeIfAbsent(StreamIds.accountIdOf(stored.streamId()), id -> new AccountActions())
                    .add(name, at, action.quantity());
        } else if (event instanceof AccountEvent.OutcomeRecorded outcome && outcome.kind() != OutcomeKind.CHURNED) {
            accounts.computeIfAbsent(StreamIds.accountIdOf(stored.streamId()), id -> new AccountActions())
                    .close(at, outcome.kind() == OutcomeKind.CONVERTED);
        }
    }

    /** One account's actions so far, as growing arrays per action, and its earliest close. */
    private static final class AccountActions {

        private final Map<String, long[]> times = new HashMap<>();
        private final Map<String, double[]> quantities = new HashMap<>();
        private final Map<String, Integer> sizes = new HashMap<>();
        long closedAt = Long.MAX_VALUE;
        boolean converted;

        void add(String action, long at, double quantity) {
            int size = sizes.getOrDefault(action, 0);
            long[] t = times.computeIfAbsent(action, a -> new long[4]);
            double[] q = quantities.computeIfAbsent(action, a -> new double[4]);
            if (size == t.length) {
                t = Arrays.copyOf(t, size * 2);
                q = Arrays.copyOf(q, size * 2);
                times.put(action, t);
                quantities.put(action, q);
            }
            t[size] = at;
            q[size] = quantity;
            sizes.put(action, size + 1);
        }

        void close(long at, boolean isConversion) {
            if (at < closedAt) {
                closedAt = at;
                converted = isConversion;
            }
        }

        TrialHistory toTrial(String accountId) {
            Map<String, ActionTimeline> before = new HashMap<>();
            sizes.forEach((action, size) -> {
                long[] t = times.get(action);
                double[] q = quantities.get(action);
                int kept = 0;
                long[] keptTimes = new long[size];
                double[] keptQuantities = new double[size];
                for (int i = 0; i < size; i++) {
                    if (t[i] < closedAt) {
                        keptTimes[kept] = t[i];
                        keptQuantities[kept++] = q[i];
                    }
                }
                if (kept > 0) {
                    before.put(action, new ActionTimeline(Arrays.copyOf(keptTimes, kept), Arrays.copyOf(keptQuantities, kept)));
                }
            });
            return new TrialHistory(accountId, closedAt, converted, before);
        }
    }
}
