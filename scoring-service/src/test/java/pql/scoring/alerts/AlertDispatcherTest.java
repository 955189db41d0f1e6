package pql.scoring.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.scoring.domain.OpportunitySize;
import pql.scoring.domain.Persona;
import pql.scoring.domain.PqlKind;
import pql.scoring.domain.TransitionKind;
import pql.scoring.domain.score.PqlTransition;
import pql.scoring.testing.Await;

/**
 * The dispatcher with a real journal, a fake receiver and a clock the test moves: what is news, what
 * is summarised, what a replay or a restart does, how a failing receiver is treated.
 */
class AlertDispatcherTest {

    private static final long NOW = Instant.parse("2026-12-01T12:00:00Z").toEpochMilli();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;

    /** Moved by the test; real time passes on top (the workers wait for the rate limit by it). */
    private final AtomicLong clockMillis = new AtomicLong(NOW);
    private final long realStart = System.currentTimeMillis();
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(clockMillis.get() + System.currentTimeMillis() - realStart);
        }
    };
    private final Receiver receiver = new Receiver();
    private final List<AlertDispatcher> started = new ArrayList<>();

    /** Records every POST; answers what the test says (200 by default). */
    static final class Receiver implements Webhook {
        record Post(String url, String body, String signature, String alertId) {
        }

        final List<Post> posts = new CopyOnWriteArrayList<>();
        final AtomicReference<Answer> answer = new AtomicReference<>(new Answer(200, Optional.empty(), ""));

        @Override
        public Answer post(String url, String body, String secret, String alertId) {
            posts.add(new Post(url, body, Webhook.signature(secret, body), alertId));
            return answer.get();
        }

        List<Post> alerts() {
            return posts.stream().filter(p -> !p.alertId().startsWith("summary-")).toList();
        }

        List<Post> summaries() {
            return posts.stream().filter(p -> p.alertId().startsWith("summary-")).toList();
        }
    }

    private AlertDispatcher dispatcher(Subscription... subscriptions) {
        AlertDispatcher dispatcher = new AlertDispatcher(new AlertDispatcher.Settings(
                Set.of(TransitionKind.BECAME_PQL, TransitionKind.KINDS_CHANGED, TransitionKind.NO_LONGER_PQL),
                Duration.ofHours(24), Duration.ofSeconds(30),
                DeliverySchedule.Policy.of(1000, Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofHours(1))),
                new AlertJournal(directory.resolve("journal.log")), new AlertMessages("https://pql.example.com"),
                (account, version, position) -> new AccountDetails("Acme", "rep@example.com", OpportunitySize.MID,
                        48_000_000_000L, "USD", Persona.GOLDEN_LEAD, 0.9, List.of(PqlKind.HAND_RAISER), 0.8, 4, 5, 91.0,
                        "Please call me about the enterprise plan", "u-1", null, Double.NaN, Double.NaN),
                receiver, clock, () -> true);
        dispatcher.subscriptions(List.of(subscriptions), Set.of());
        started.add(dispatcher);
        return dispatcher;
    }

    private static Subscription subscription(String id, Subscription.Format format, Subscription.Filter filter) {
        return new Subscription(id, "http://receiver.test/" + id, format, filter, "secret-" + id, NOW, "test");
    }

    @AfterEach
    void close() {
        started.forEach(AlertDispatcher::close);
    }

    @Test
    void givenAFreshHandRaiser_thenItIsPostedOnceSignedWithItsStableIdAndTheRepsDetails() throws Exception {
        dispatcher(subscription("sub-a", Subscription.Format.SLACK, Subscription.Filter.ALL));
        PqlTransition live = Transitions.becamePql("a-1", NOW - 2_000, PqlKind.HAND_RAISER);

        started.get(0).offer(live);

        Await.until("posted", () -> receiver.posts.size() == 1);
        Receiver.Post post = receiver.posts.get(0);
        assertThat(post.alertId()).isEqualTo(AlertId.of(live));
        assertThat(post.signature()).isEqualTo(Webhook.signature("secret-sub-a", post.body()));
        JsonNode body = JSON.readTree(post.body());
        assertThat(body.get("text").asText()).contains("Acme (a-1) became a PQL (hand-raiser)", "USD 48,000 (MID)",
                "Golden Lead (90% odds)", "owner rep@example.com");
        assertThat(post.body()).contains("Please call me about the enterprise plan",
                "https://pql.example.com/dashboard/#/accounts/a-1", "checklist 4/5 steps", "engagement percentile 91");
    }

    @Test
    void givenATransitionDerivedAgainByAReplay_thenItIsNotPostedTwice() throws Exception {
        AlertDispatcher dispatcher = dispatcher(subscription("sub-a", Subscription.Format.SLACK, Subscription.Filter.ALL));
        PqlTransition live = Transitions.becamePql("a-1", NOW - 2_000, PqlKind.HAND_RAISER);
        dispatcher.offer(live);
        Await.until("posted", () -> receiver.posts.size() == 1);

        dispatcher.offer(live);
        Thread.sleep(300);

        assertThat(receiver.posts).hasSize(1);
        assertThat(dispatcher.stats("sub-a").delivered()).isEqualTo(1);
    }

    @Test
    void givenABackfillOfOldTransitions_thenNoneIsPostedAloneAndOneSummaryFollowsOnceTheyStop() throws Exception {
        AlertDispatcher dispatcher = dispatcher(subscription("sub-a", Subscription.Format.SLACK, Subscription.Filter.ALL));
        long weeksAgo = NOW - Duration.ofDays(60).toMillis();
        for (int i = 0; i < 2_000; i++) {
            dispatcher.offer(Transitions.becamePql("a-" + i, weeksAgo + i * 60_000L, PqlKind.CRITERIA_MET));
        }
        dispatcher.offer(Transitions.becamePql("old-edge", NOW - Duration.ofHours(24).toMillis() - 1, PqlKind.CRITERIA_MET));
        Thread.sleep(500);
        assertThat(receiver.posts).as("nothing before the quiet period").isEmpty();

        clockMillis.addAndGet(30_000);
        Await.until("summary", () -> receiver.posts.size() == 1);
        Thread.sleep(500);

        assertThat(receiver.summaries()).hasSize(1);
        assertThat(receiver.alerts()).isEmpty();
        assertThat(receiver.summaries().get(0).body()).contains("2,001 accounts became PQLs in backfilled history");
        assertThat(dispatcher.stats("sub-a").summaries()).isEqualTo(1);
    }

    @Test
    void givenAReceiverThatAnswers503WithRetryAfter_thenTheAlertWaitsAndIsDeliveredOnceWhenItRecovers() throws Exception {
        AlertDispatcher dispatcher = dispatcher(subscription("sub-a", Subscription.Format.SLACK, Subscription.Filter.ALL));
        receiver.answer.set(new Webhook.Answer(503, Optional.of(Duration.ofSeconds(20)), "HTTP 503"));
        PqlTransition first = Transitions.becamePql("a-1", NOW, PqlKind.HAND_RAISER);
        PqlTransition second = Transitions.becamePql("a-2", NOW, PqlKind.LIMIT_REACHED);
        dispatcher.offer(first);
        dispatcher.offer(second);
        Await.until("first attempt", () -> receiver.posts.size() == 1);
        Thread.sleep(400);
        assertThat(receiver.posts).as("Retry-After: 20 s not over").hasSize(1);
        assertThat(dispatcher.stats("sub-a").pending()).isEqualTo(2);
        assertThat(dispatcher.stats("sub-a").lastError()).isEqualTo("HTTP 503");

        receiver.answer.set(new Webhook.Answer(200, Optional.empty(), ""));
        clockMillis.addAndGet(20_000);

        Await.until("both delivered", () -> dispatcher.stats("sub-a").delivered() == 2);
        assertThat(receiver.posts).extracting(Receiver.Post::alertId)
                .containsExactly(AlertId.of(first), AlertId.of(first), AlertId.of(second));
        assertThat(dispatcher.stats("sub-a").failingSince()).isEqualTo(-1);
        assertThat(dispatcher.failedAttempts()).as("the one 503").isEqualTo(1);
        assertThat(dispatcher.totals()[0]).as("delivered, as on the admin port").isEqualTo(2);
    }

    @Test
    void givenAReceiverDownForLongerThanParkAfter_thenTheAlertIsParkedAndCounted() throws Exception {
        AlertDispatcher dispatcher = dispatcher(subscription("sub-a", Subscription.Format.SLACK, Subscription.Filter.ALL));
        receiver.answer.set(new Webhook.Answer(0, Optional.empty(), "ConnectException"));
        dispatcher.offer(Transitions.becamePql("a-1", NOW, PqlKind.HAND_RAISER));
        Await.until("first attempt", () -> receiver.posts.size() == 1);

        clockMillis.addAndGet(Duration.ofHours(1).toMillis());

        Await.until("parked", () -> dispatcher.stats("sub-a").parked() == 1);
        assertThat(dispatcher.stats("sub-a").pending()).isZero();
        assertThat(dispatcher.stats("sub-a").delivered()).isZero();
        assertThat(dispatcher.failedAttempts()).isEqualTo(receiver.posts.size()).isPositive();
        assertThat(dispatcher.totals()[2]).as("parked, as on the admin port").isEqualTo(1);
    }

    @Test
    void givenAlertsPendingWhenTheProcessDies_whenAnotherDispatcherOpensTheJournal_thenEachIsDeliveredExactlyOnce()
            throws Exception {
        Subscription sub = subscription("sub-a", Subscription.Format.JSON, Subscription.Filter.ALL);
        AlertDispatcher before = dispatcher(sub);
        receiver.answer.set(new Webhook.Answer(0, Optional.empty(), "ConnectException"));
        List<PqlTransition> live = List.of(Transitions.becamePql("a-1", NOW, PqlKind.HAND_RAISER),
                Transitions.becamePql("a-2", NOW + 1, PqlKind.HAND_RAISER),
                Transitions.becamePql("a-3", NOW + 2, PqlKind.LIMIT_REACHED));
        live.forEach(before::offer);
        Await.until("tried", () -> !receiver.posts.isEmpty());
        before.close(); // no clean hand-over: the journal alone carries them
        receiver.posts.clear();
        receiver.answer.set(new Webhook.Answer(200, Optional.empty(), ""));

        AlertDispatcher after = dispatcher(sub);
        live.forEach(after::offer); // the restart's replay derives them again

        Await.until("delivered", () -> after.stats("sub-a").delivered() == 3);
        Thread.sleep(300);
        assertThat(receiver.posts).extracting(Receiver.Post::alertId)
                .containsExactly(live.stream().map(AlertId::of).toArray(String[]::new));
        JsonNode json = JSON.readTree(receiver.posts.get(0).body());
        assertThat(json.get("accountId").asText()).isEqualTo("a-1");
        assertThat(json.get("kind").asText()).isEqualTo("TRANSITION_KIND_BECAME_PQL");
    }

    @Test
    void givenATimeDrivenLapseWhenItHappens_thenItIsNewsNamedByItsInstantAndAReplayOfItIsNotPostedAgain()
            throws Exception {
        AlertDispatcher dispatcher = dispatcher(subscription("sub-a", Subscription.Format.SLACK, Subscription.Filter.ALL));
        long lapsedAt = NOW - 700; // found by the status timers within a tick of the instant
        PqlTransition lapse = new PqlTransition("a-9", TransitionKind.NO_LONGER_PQL, 1, lapsedAt, 77,
                PqlKind.CRITERIA_MET.bit(), 0, pql.scoring.domain.Level.HIGH, pql.scoring.domain.Level.LOW,
                pql.scoring.domain.CommunicationLevel.LOW, pql.scoring.domain.Level.HIGH, pql.scoring.domain.Level.HIGH,
                pql.scoring.domain.CommunicationLevel.LOW, "Hooli", null, 0.8, 3.0, null, true);

        dispatcher.offer(lapse);
        Await.until("posted", () -> receiver.posts.size() == 1);
        dispatcher.offer(new PqlTransition("a-9", TransitionKind.NO_LONGER_PQL, 1, lapsedAt, 78,
                PqlKind.CRITERIA_MET.bit(), 0, pql.scoring.domain.Level.HIGH, pql.scoring.domain.Level.LOW,
                pql.scoring.domain.CommunicationLevel.LOW, pql.scoring.domain.Level.HIGH, pql.scoring.domain.Level.HIGH,
                pql.scoring.domain.CommunicationLevel.LOW, "Hooli", null, 0.8, 3.0, null, true));
        Thread.sleep(300);

        assertThat(receiver.posts).hasSize(1);
        assertThat(receiver.posts.get(0).alertId()).isEqualTo(AlertId.of(lapse));
        assertThat(JSON.readTree(receiver.posts.get(0).body()).get("text").asText())
                .contains("Acme (a-9) is no longer a PQL: criteria met lapsed with time");
    }

    @Test
    void givenFilters_thenEachSubscriptionGetsOnlyItsAccounts() throws Exception {
        dispatcher(subscription("owner", Subscription.Format.SLACK,
                        new Subscription.Filter("Rep@Example.com", Set.of(), Set.of(), Set.of())),
                subscription("hand-raisers", Subscription.Format.SLACK,
                        new Subscription.Filter("", Set.of(), Set.of(PqlKind.HAND_RAISER), Set.of())),
                subscription("large", Subscription.Format.SLACK,
                        new Subscription.Filter("", Set.of(OpportunitySize.LARGE), Set.of(), Set.of())),
                subscription("golden", Subscription.Format.SLACK,
                        new Subscription.Filter("", Set.of(), Set.of(), Set.of(Persona.GOLDEN_LEAD))));
        AlertDispatcher dispatcher = started.get(0);

        dispatcher.offer(Transitions.transition("a-1", TransitionKind.BECAME_PQL, NOW, 0, PqlKind.CRITERIA_MET.bit(),
                "rep@example.com"));
        dispatcher.offer(Transitions.transition("a-2", TransitionKind.BECAME_PQL, NOW, 0, PqlKind.HAND_RAISER.bit(),
                "other@example.com"));

        Await.until("settled", () -> dispatcher.stats("owner").pending() + dispatcher.stats("hand-raisers").pending()
                + dispatcher.stats("large").pending() + dispatcher.stats("golden").pending() == 0
                && receiver.posts.size() >= 4);
        Thread.sleep(200);
        assertThat(receiver.posts).extracting(p -> p.url().substring(p.url().lastIndexOf('/') + 1) + ":"
                + (p.body().contains("(a-1)") ? "a-1" : "a-2"))
                .containsExactlyInAnyOrder("owner:a-1", "hand-raisers:a-2", "golden:a-1", "golden:a-2");
    }
}
