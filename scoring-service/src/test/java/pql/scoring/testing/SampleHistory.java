package pql.scoring.testing;

import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import pql.eventstore.AppendRequest;
import pql.eventstore.EventStore;
import pql.eventstore.ExpectedVersion;
import pql.eventstore.StreamIds;
import pql.v1.AccountProfiled;
import pql.v1.Channel;
import pql.v1.Communication;
import pql.v1.Direction;
import pql.v1.EventEnvelope;
import pql.v1.Fit;
import pql.v1.Money;
import pql.v1.OpportunitySize;
import pql.v1.Outcome;
import pql.v1.OutcomeKind;
import pql.v1.Plan;
import pql.v1.PlanLimitReached;
import pql.v1.ProductAction;
import pql.v1.SalesAssistanceRequested;
import pql.v1.Sentiment;
import pql.v1.UserIdentified;

/**
 * A deterministic, varied history of trial accounts (every event kind, out-of-order event times,
 * several users per account) for projection tests. Same seed, same events, same order.
 */
public final class SampleHistory {

    public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    /** An evaluation instant after every event of any generated history (tests compare views at it). */
    public static final long AFTER_ALL_MILLIS = START.plus(Duration.ofDays(180)).toEpochMilli();
    private static final String[] ACTIONS = {"workspace_created", "data_connected", "teammate_invited",
            "report_created", "report_created", "dashboard_shared", "integration_enabled", "message_sent",
            "message_sent", "invoice_submitted", "login", "login", "search_run"};

    private final List<EventEnvelope> events = new ArrayList<>();

    private SampleHistory() {
    }

    /** {@code accounts} accounts with about {@code eventsPerAccount} events each, interleaved. */
    public static SampleHistory generate(long seed, int accounts, int eventsPerAccount) {
        SampleHistory history = new SampleHistory();
        Random random = new Random(seed);
        List<List<EventEnvelope>> perAccount = new ArrayList<>();
        for (int a = 0; a < accounts; a++) {
            perAccount.add(account(random, "acct-" + a, eventsPerAccount));
        }
        int[] next = new int[accounts];
        int left = perAccount.stream().mapToInt(List::size).sum();
        while (left > 0) {
            int a = random.nextInt(accounts);
            if (next[a] < perAccount.get(a).size()) {
                history.events.add(perAccount.get(a).get(next[a]++));
                left--;
            }
        }
        return history;
    }

    private static List<EventEnvelope> account(Random random, String accountId, int count) {
        List<EventEnvelope> events = new ArrayList<>();
        Instant t = START.plus(Duration.ofHours(random.nextInt(24 * 20)));
        int users = 1 + random.nextInt(5);
        OpportunitySize[] sizes = {OpportunitySize.OPPORTUNITY_SIZE_UNSPECIFIED, OpportunitySize.OPPORTUNITY_SIZE_SMALL,
                OpportunitySize.OPPORTUNITY_SIZE_MID, OpportunitySize.OPPORTUNITY_SIZE_LARGE};
        AccountProfiled.Builder profile = AccountProfiled.newBuilder().setName("Account " + accountId)
                .setOwner("owner-" + random.nextInt(3)).setPlan(random.nextBoolean() ? Plan.PLAN_TRIAL : Plan.PLAN_FREEMIUM)
                .setOpportunitySize(sizes[random.nextInt(sizes.length)])
                .setFit(random.nextBoolean() ? Fit.FIT_GOOD : Fit.FIT_POOR)
                .setTrialStart(ts(t)).setTrialEnd(ts(t.plus(Duration.ofDays(30))));
        if (random.nextBoolean()) {
            profile.setDealSize(Money.newBuilder().setAmountMicros((1 + random.nextInt(90)) * 1_000_000_000L)
                    .setCurrency("USD"));
        }
        events.add(envelope(accountId, events.size(), t, profile.build()));
        for (int u = 0; u < users; u++) {
            events.add(envelope(accountId, events.size(), t, UserIdentified.newBuilder().setUserId("u" + u)
                    .setEmail("u" + u + "@" + accountId + ".test").build()));
        }
        while (events.size() < count) {
            t = t.plus(Duration.ofMinutes(random.nextInt(6 * 60)));
            // now and then an event arrives late (event time earlier than those before it)
            Instant at = random.nextInt(20) == 0 ? t.minus(Duration.ofHours(random.nextInt(48))) : t;
            int kind = random.nextInt(100);
            Message payload;
            if (kind < 80) {
                payload = ProductAction.newBuilder().setUserId("u" + random.nextInt(users))
                        .setAction(ACTIONS[random.nextInt(ACTIONS.length)])
                        .setQuantity(random.nextInt(10) == 0 ? 1 + random.nextInt(400) : 1).build();
            } else if (kind < 92) {
                payload = Communication.newBuilder().setUserId("u" + random.nextInt(users))
                        .setDirection(random.nextBoolean() ? Direction.DIRECTION_INBOUND : Direction.DIRECTION_OUTBOUND)
                        .setChannel(Channel.CHANNEL_EMAIL).setResponded(random.nextBoolean())
                        .setSentiment(Sentiment.forNumber(random.nextInt(4))).build();
            } else if (kind < 95) {
                payload = SalesAssistanceRequested.newBuilder().setUserId("u0").build();
            } else if (kind < 98) {
                payload = PlanLimitReached.newBuilder().setLimit("seats").setUsage(5).setLimitValue(5).build();
            } else {
                OutcomeKind outcome = OutcomeKind.forNumber(1 + random.nextInt(3));
                payload = Outcome.newBuilder().setKind(outcome).setSalesTouched(random.nextBoolean())
                        .setAmount(Money.newBuilder().setAmountMicros(5_000_000_000L).setCurrency("USD")).build();
            }
            events.add(envelope(accountId, events.size(), at, payload));
        }
        return events;
    }

    public static EventEnvelope envelope(String accountId, int sequence, Instant at, Message payload) {
        return EventEnvelope.newBuilder()
                .setEventId(accountId + "-e" + sequence)
                .setType(payload.getDescriptorForType().getFullName())
                .setAccountId(accountId)
                .setOccurredAt(ts(at))
                .setRecordedAt(ts(at))
                .setPayload(payload.toByteString())
                .setSchemaRevision(1)
                .build();
    }

    public static Timestamp ts(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    public List<EventEnvelope> events() {
        return events;
    }

    public int size() {
        return events.size();
    }

    /** Appends events [from, to) in their order, {@code perAppend} at a time. */
    public void appendTo(EventStore store, int from, int to, int perAppend) {
        for (int i = from; i < to; i += perAppend) {
            List<AppendRequest> requests = new ArrayList<>();
            for (EventEnvelope event : events.subList(i, Math.min(to, i + perAppend))) {
                requests.add(new AppendRequest(StreamIds.forAccount(event.getAccountId()), ExpectedVersion.ANY,
                        List.of(event)));
            }
            store.append(requests);
        }
    }
}
