package pql.scoring.bench;

import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import pql.eventstore.AppendRequest;
import pql.eventstore.EventStore;
import pql.eventstore.ExpectedVersion;
import pql.eventstore.StreamIds;
import pql.v1.AccountProfiled;
import pql.v1.Communication;
import pql.v1.Direction;
import pql.v1.EventEnvelope;
import pql.v1.Money;
import pql.v1.OpportunitySize;
import pql.v1.Outcome;
import pql.v1.OutcomeKind;
import pql.v1.Plan;
import pql.v1.ProductAction;
import pql.v1.SalesAssistanceRequested;
import pql.v1.Sentiment;
import pql.v1.UserIdentified;

/**
 * The benchmark's log: {@code accounts} trial accounts with {@code eventsPerAccount} events each,
 * written round by round (event r of every account, then event r+1...) so that accounts interleave
 * as in a real log. Per account: a profile, a few users, then product actions over ~60 days of event
 * time (sessions of related actions), some communication, the occasional hand-raiser; three in five
 * close their trial with their last event (converted or lost), the accounts that shared a dashboard
 * right after their users arrived converting more often.
 */
final class BenchmarkHistory {

    static final long START_SECONDS = 1_767_225_600L; // 2026-01-01T00:00:00Z
    private static final String[] ACTIONS = {"report_created", "report_created", "message_sent", "message_sent",
            "message_sent", "login", "login", "dashboard_shared", "data_connected", "teammate_invited",
            "integration_enabled", "invoice_submitted", "search_run", "export_done", "workspace_created"};

    private BenchmarkHistory() {
    }

    /** Where a generated history is kept between runs (named by its shape and this generator's revision). */
    static java.nio.file.Path storeDirectory(java.nio.file.Path directory, int accounts, int eventsPerAccount) {
        return directory.resolve("events-v2-" + accounts + "x" + eventsPerAccount);
    }

    static EventEnvelope event(int account, int round, int eventsPerAccount) {
        return event(account, round, eventsPerAccount, "");
    }

    /** {@code idSuffix} makes ids unique across runs that append to the same store. */
    static EventEnvelope event(int account, int round, int eventsPerAccount, String idSuffix) {
        SplittableRandom random = new SplittableRandom(account * 1_000_003L + round);
        String accountId = "bench-" + account;
        int users = 1 + account % 5;
        // each account spreads its events over ~60 days, starting somewhere in the first 30
        long startOffset = (account * 7919L) % (30 * 86_400L);
        long seconds = START_SECONDS + startOffset + (long) round * (60 * 86_400L) / eventsPerAccount
                + random.nextInt(3600);
        Message payload;
        if (round == 0) {
            OpportunitySize size = OpportunitySize.forNumber(1 + account % 3);
            payload = AccountProfiled.newBuilder().setName("Account " + account).setOwner("owner-" + account % 20)
                    .setPlan(Plan.PLAN_TRIAL).setOpportunitySize(size)
                    .setDealSize(Money.newBuilder().setAmountMicros((5_000L + account % 80_000) * 1_000_000L)
                            .setCurrency("USD")).build();
        } else if (round == eventsPerAccount - 1 && account % 5 < 3) {
            // three accounts in five close their trial with the last event: the backtest and discovery
            // benchmarks judge them; those that shared a dashboard early convert more often
            boolean converts = random.nextInt(100) < (account % 7 == 0 ? 60 : 25);
            payload = converts
                    ? Outcome.newBuilder().setKind(OutcomeKind.OUTCOME_KIND_CONVERTED).setSalesTouched(true)
                            .setAmount(Money.newBuilder().setAmountMicros((5_000L + account % 80_000) * 1_000_000L)
                                    .setCurrency("USD")).build()
                    : Outcome.newBuilder().setKind(OutcomeKind.OUTCOME_KIND_LOST).build();
        } else if (account % 7 == 0 && round == users + 1) {
            payload = ProductAction.newBuilder().setUserId("u0").setAction("dashboard_shared").setQuantity(1).build();
} else if (round <= users) {
            payload = UserIdentified.newBuilder().setUserId("u" + (round - 1)).build();
        } else {
            int kind = random.nextInt(100);
            if (kind < 92) {
                payload = ProductAction.newBuilder().setUserId("u" + random.nextInt(users))
                        .setAction(ACTIONS[random.nextInt(ACTIONS.length)])
                        .setQuantity(random.nextInt(8) == 0 ? 1 + random.nextInt(50) : 1).build();
            } else if (kind < 99) {
                payload = Communication.newBuilder()
                        .setDirection(random.nextBoolean() ? Direction.DIRECTION_INBOUND : Direction.DIRECTION_OUTBOUND)
                        .setResponded(random.nextBoolean()).setSentiment(Sentiment.forNumber(1 + random.nextInt(3)))
                        .build();
            } else {
                payload = SalesAssistanceRequested.newBuilder().setUserId("u0").build();
            }
        }
        Timestamp at = Timestamp.newBuilder().setSeconds(seconds).build();
        return EventEnvelope.newBuilder()
                .setEventId("e" + round + idSuffix)
                .setType(payload.getDescriptorForType().getFullName())
                .setAccountId(accountId)
                .setOccurredAt(at)
                .setRecordedAt(at)
                .setPayload(payload.toByteString())
                .setSchemaRevision(1)
                .build();
    }

    /** Appends the whole history; returns the seconds it took. */
    static double write(EventStore store, int accounts, int eventsPerAccount) {
        long started = System.nanoTime();
        List<CompletableFuture<?>> inFlight = new ArrayList<>();
        List<AppendRequest> batch = new ArrayList<>();
        // ten rounds per append request: accounts still interleave, in runs of ten events
        for (int round = 0; round < eventsPerAccount; round += 10) {
            for (int account = 0; account < accounts; account++) {
                List<EventEnvelope> events = new ArrayList<>(10);
                for (int r = round; r < Math.min(eventsPerAccount, round + 10); r++) {
                    events.add(event(account, r, eventsPerAccount));
                }
                batch.add(new AppendRequest(StreamIds.forAccount("bench-" + account), ExpectedVersion.ANY, events));
                if (batch.size() == 1_000) {
                    inFlight.add(store.appendAsync(batch));
                    batch = new ArrayList<>();
                    if (inFlight.size() >= 8) {
                        inFlight.remove(0).join();
                    }
                }
            }
            System.out.printf("  written %,d events%n", (long) Math.min(eventsPerAccount, round + 10) * accounts);
        }
        if (!batch.isEmpty()) {
            inFlight.add(store.appendAsync(batch));
        }
        inFlight.forEach(CompletableFuture::join);
        return (System.nanoTime() - started) / 1e9;
    }
}
