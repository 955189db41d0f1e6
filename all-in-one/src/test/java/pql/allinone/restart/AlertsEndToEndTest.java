package pql.allinone.restart;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.grpc.Channel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.gateway.support.RunningGateway;
import pql.v1.AccountProfiled;
import pql.v1.AddAlertSubscriptionRequest;
import pql.v1.AlertServiceGrpc;
import pql.v1.AlertSubscription;
import pql.v1.Event;
import pql.v1.IngestBatchRequest;
import pql.v1.IngestServiceGrpc;
import pql.v1.ListAlertSubscriptionsRequest;
import pql.v1.Money;
import pql.v1.OpportunitySize;
import pql.v1.ProductAction;
import pql.v1.SalesAssistanceRequested;

/**
 * Issue #12's "done when", on a real all-in-one in a JVM of its own: a multi-week backfill gives at
 * most one summary, a live hand-raiser exactly one signed post within 5 s with the note, deal size and
 * persona; then the receiver goes down, a live hand-raiser comes, the suite is killed with SIGKILL
 * (checkpoints every second: the projection's checkpoint is past the event before the kill), restarted,
 * the receiver comes back, and every live alert has arrived exactly once by its alert id.
 */
class AlertsEndToEndTest {

    private static final int BACKFILL_ACCOUNTS = 300;

    @TempDir
    Path scratch;

    @Test
    void backfillIsSummarisedLiveHandRaisersArriveOnceEvenAcrossAKillNine() throws Exception {
        Path data = Files.createDirectories(scratch.resolve("data"));
        Path log = scratch.resolve("all-in-one.log");
        Map<String, String> settings = Map.of(
                "sampleData.loadOnFirstStart", "false",
                "scoring.checkpointInterval", "1s",
                "scoring.alerts.summaryQuietPeriod", "2s",
                "scoring.alerts.initialBackoff", "200ms",
                "scoring.alerts.maxBackoff", "1s",
                "scoring.alerts.dashboardBaseUrl", "https://pql.example.com",
                "proxy.healthPeriodSeconds", "1");
        try (AlertReceiver receiver = new AlertReceiver(AlertReceiver.freePort())) {
            AllInOneProcess suite = AllInOneProcess.start(data, settings, log);
            String secret;
            try {
                suite.awaitServing(Duration.ofSeconds(120));
                String key = Files.readString(data.resolve("local-api-key")).trim();
                AlertSubscription subscription = alerts(suite.channel(), key).addAlertSubscription(
                        AddAlertSubscriptionRequest.newBuilder().setUrl(receiver.url()).build());
                secret = subscription.getSecret();

                // weeks of history, 90 to 60 days ago: every account a hand-raiser, so each became a PQL back then
                Instant start = Instant.now().minus(90, ChronoUnit.DAYS);
                List<Event> backfill = new ArrayList<>();
                for (int a = 0; a < BACKFILL_ACCOUNTS; a++) {
                    String account = "backfill-" + a;
                    Instant at = start.plus(a % 30, ChronoUnit.DAYS);
                    backfill.add(profile(account, at, "Backfill " + a, 10_000));
                    for (int d = 0; d < 3; d++) {
                        backfill.add(action(account + "-action-" + d, account, at.plus(d + 1, ChronoUnit.HOURS)));
                    }
                    backfill.add(handRaiser(account, at.plus(5, ChronoUnit.HOURS), "old request " + a));
                }
                ingest(suite.channel(), key, backfill);

                Instant now = Instant.now();
                ingest(suite.channel(), key, List.of(profile("live-1", now.minusSeconds(60), "Initech", 48_000),
                        action("live-1-action", "live-1", now.minusSeconds(30))));
                long sentAt = System.currentTimeMillis();
                ingest(suite.channel(), key, List.of(handRaiser("live-1", now, "Please call me about 40 seats")));

                AlertReceiver.Post live1 = awaitAlertFor(receiver, "live-1", Duration.ofSeconds(5));
                assertThat(live1.receivedAtMillis() - sentAt).as("within 5 s").isLessThanOrEqualTo(5_000);
                assertThat(live1.signature()).isEqualTo(sign(secret, live1.body()));
                assertThat(live1.body()).contains("Initech (live-1) became a PQL (hand-raiser)",
                        "Please call me about 40 seats", "USD 48,000", "odds",
                        "https://pql.example.com/dashboard/#/accounts/live-1");
                assertThat(live1.body()).containsPattern("Golden Lead|Silent Success|Contrary Converter|Positive"
                        + " Procrastinator|Fizzler|Incompatible Ignoramus|Heartbreaker");

                Thread.sleep(4_000); // the backfill's quiet period is over
                // "at most one"; this backfill arrives in one go, so exactly one, naming every account
                assertThat(summaries(receiver)).as("one summary for the backfill").hasSize(1);
                assertThat(summaries(receiver).get(0).body()).contains(BACKFILL_ACCOUNTS
                        + " accounts became PQLs in backfilled history");
                assertThat(summaries(receiver).get(0).signature()).isEqualTo(sign(secret, summaries(receiver).get(0).body()));
                assertThat(alertsFor(receiver, "backfill-")).as("no backfilled PQL posted on its own").isEmpty();

                // the receiver goes down; a live hand-raiser's alert waits in the journal; checkpoints pass it; kill -9
                receiver.down();
                ingest(suite.channel(), key, List.of(profile("live-2", Instant.now().minusSeconds(10), "Umbrella", 90_000),
                        handRaiser("live-2", Instant.now(), "Need a quote today")));
                awaitPending(suite.channel(), key);
                Thread.sleep(2_500); // at least one checkpoint of the projection after the event
                suite.kill();
            } finally {
                suite.close();
            }

            AllInOneProcess restarted = AllInOneProcess.start(data, settings, log);
            try {
                restarted.awaitServing(Duration.ofSeconds(120));
                receiver.up();
                AlertReceiver.Post live2 = awaitAlertFor(receiver, "live-2", Duration.ofSeconds(30));
                assertThat(live2.signature()).isEqualTo(sign(secret, live2.body()));
                assertThat(live2.body()).contains("Umbrella (live-2) became a PQL (hand-raiser)", "Need a quote today",
                        "USD 90,000");
                Thread.sleep(3_000); // would anything come twice?

                List<AlertReceiver.Post> alerts = receiver.posts.stream().filter(p -> !p.alertId().startsWith("summary-")).toList();
                Map<String, Long> byId = alerts.stream().collect(Collectors.groupingBy(AlertReceiver.Post::alertId, Collectors.counting()));
                assertThat(byId).as("every live alert exactly once by alert id").allSatisfy((id, count) ->
                        assertThat(count).as(id).isEqualTo(1));
                assertThat(alertsFor(receiver, "live-1")).hasSize(1);
                assertThat(alertsFor(receiver, "live-2")).hasSize(1);
                assertThat(alertsFor(receiver, "backfill-")).isEmpty();
                var listed = alerts(restarted.channel(), Files.readString(data.resolve("local-api-key")).trim())
                        .listAlertSubscriptions(ListAlertSubscriptionsRequest.getDefaultInstance()).getSubscriptions(0);
                assertThat(listed.getDelivery().getDelivered()).isEqualTo(2);
                assertThat(listed.getDelivery().getPending()).isZero();
            } finally {
                restarted.terminate();
            }
        }
    }

    private static AlertReceiver.Post awaitAlertFor(AlertReceiver receiver, String account, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<AlertReceiver.Post> found = alertsFor(receiver, account);
            if (!found.isEmpty()) {
                return found.get(0);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no alert for " + account + " within " + timeout + "; received: " + receiver.posts);
    }

    private static List<AlertReceiver.Post> alertsFor(AlertReceiver receiver, String accountPrefix) {
        return receiver.posts.stream().filter(p -> !p.alertId().startsWith("summary-"))
                .filter(p -> p.body().contains("(" + accountPrefix)).toList();
    }

    private static List<AlertReceiver.Post> summaries(AlertReceiver receiver) {
        return receiver.posts.stream().filter(p -> p.alertId().startsWith("summary-")).toList();
    }

    private static void awaitPending(Channel gateway, String key) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (alerts(gateway, key).listAlertSubscriptions(ListAlertSubscriptionsRequest.getDefaultInstance())
                    .getSubscriptions(0).getDelivery().getPending() > 0) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the live alert never became pending");
    }

    private static AlertServiceGrpc.AlertServiceBlockingStub alerts(Channel gateway, String key) {
        return AlertServiceGrpc.newBlockingStub(gateway).withCallCredentials(RunningGateway.bearer(key));
    }

    private static void ingest(Channel gateway, String key, List<Event> events) {
        var ingest = IngestServiceGrpc.newBlockingStub(gateway).withCallCredentials(RunningGateway.bearer(key));
        for (int from = 0; from < events.size(); from += 1_000) {
            var response = ingest.ingestBatch(IngestBatchRequest.newBuilder()
                    .addAllEvents(events.subList(from, Math.min(events.size(), from + 1_000))).build());
            assertThat(response.getRejected()).as(response.toString()).isZero();
        }
    }

    private static Event profile(String account, Instant at, String name, long dealSize) {
        return event(account + "-profile", account, at, e -> e.setAccountProfiled(AccountProfiled.newBuilder().setName(name)
                .setOwner("rep@example.com").setOpportunitySize(OpportunitySize.OPPORTUNITY_SIZE_MID)
                .setDealSize(Money.newBuilder().setAmountMicros(dealSize * 1_000_000L).setCurrency("USD"))));
    }

    private static Event action(String id, String account, Instant at) {
        return event(id, account, at, e -> e.setProductAction(ProductAction.newBuilder().setUserId(account + "-u1")
                .setAction("report_created")));
    }

    private static Event handRaiser(String account, Instant at, String note) {
        return event(account + "-hand-raised", account, at, e -> e.setSalesAssistanceRequested(
                SalesAssistanceRequested.newBuilder().setUserId(account + "-u1").setNote(note)));
    }

    private static Event event(String id, String account, Instant at, Function<Event.Builder, Event.Builder> kind) {
        return kind.apply(Event.newBuilder().setEventId(id).setAccountId(account)
                .setOccurredAt(Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()))).build();
    }

    private static String sign(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }
}
