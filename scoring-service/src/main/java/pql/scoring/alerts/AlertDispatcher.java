package pql.scoring.alerts;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pql.scoring.app.AlertSink;
import pql.scoring.domain.TransitionKind;
import pql.scoring.domain.score.PqlTransition;

/**
 * Delivers alerts from the durable journal, one worker thread per subscription.
 *
 * <p>The serving projection hands over every transition, history included ({@link #offer}, on its
 * threads). A transition of an alerting kind whose instant is within the freshness window of the
 * clock is news: journaled (forced to disk) for each subscription whose filter wants it, unless that
 * subscription already has its alert id (a replay found it again). An older one is history: it is
 * added to the subscription's backfill summary, posted once the old transitions stop coming. The
 * workers post journaled alerts in order under the {@link DeliverySchedule} (rate limit, backoff
 * honouring Retry-After, parking) and journal each outcome, so a restart resumes where delivery stood.
 */
public final class AlertDispatcher implements AlertSink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AlertDispatcher.class);

    /** Posts the receiver did not take (each retry counts), alerts and summaries alike, since start. */
    private final java.util.concurrent.atomic.AtomicLong failedAttempts = new java.util.concurrent.atomic.AtomicLong();
    /** Summaries given up after failing for parkAfter (alerts are parked instead, see totals()). */
    private final java.util.concurrent.atomic.AtomicLong summariesDropped = new java.util.concurrent.atomic.AtomicLong();
    private static final long IDLE_WAIT_MILLIS = 200;

    public record Settings(Set<TransitionKind> kinds, Duration freshness, Duration summaryQuietPeriod,
            DeliverySchedule.Policy policy) {
        public Settings {
            kinds = Set.copyOf(kinds);
        }
    }

    /** One subscription's counters and state, for ListAlertSubscriptions and metrics. */
    public record Stats(long delivered, long pending, long parked, long summaries, long failingSince, String lastError) {
    }

    private final Settings settings;
    private final AlertJournal journal;
    private final AlertMessages messages;
    private final AccountDetails.Lookup details;
    private final Webhook webhook;
    private final Clock clock;
    private final BooleanSupplier ready;
    private final Map<String, Channel> channels = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    /**
     * @param ready whether the serving projection is restored: alerts are delivered only then, so
     *     their details (deal size, persona) are those of the whole account
     */
    public AlertDispatcher(Settings settings, AlertJournal journal, AlertMessages messages, AccountDetails.Lookup details,
            Webhook webhook, Clock clock, BooleanSupplier ready) {
        this.settings = settings;
        this.journal = journal;
        this.messages = messages;
        this.details = details;
        this.webhook = webhook;
        this.clock = clock;
        this.ready = ready;
    }

    /**
     * Makes the subscriptions those given: workers start for new ones; removed ones stop and their
     * pending alerts are dropped from the journal.
     *
     * @param removedForGood ids known to be removed (not merely absent from {@code current} in this process)
     */
    public synchronized void subscriptions(List<Subscription> current, Set<String> removedForGood) {
        Map<String, Subscription> wanted = new LinkedHashMap<>();
        current.forEach(s -> wanted.put(s.id(), s));
        for (String id : List.copyOf(channels.keySet())) {
            if (!wanted.containsKey(id)) {
                channels.remove(id).stop();
            }
        }
        removedForGood.forEach(journal::removed);
        wanted.forEach((id, subscription) -> channels.computeIfAbsent(id, i -> new Channel(subscription)));
    }

    public List<Subscription> current() {
        return channels.values().stream().map(c -> c.subscription).toList();
    }

    public Optional<Subscription> subscription(String id) {
        return Optional.ofNullable(channels.get(id)).map(c -> c.subscription);
    }

    @Override
    public void offer(PqlTransition transition) {
        if (!settings.kinds().contains(transition.kind()) || channels.isEmpty()) {
            return;
        }
        long now = clock.millis();
        boolean news = now - transition.at() <= settings.freshness().toMillis();
        String alertId = null;
        byte[] bytes = null;
        for (Channel channel : channels.values()) {
            // owner and kinds are known here; size and persona once the details are looked up (at delivery)
            if (!channel.subscription.filter().matchesOwnerAndKinds(transition.owner(), transition.kindsAfter())) {
                continue;
            }
            if (!news) {
                channel.summary.add(transition, now);
                continue;
            }
            if (alertId == null) {
                alertId = AlertId.of(transition);
                bytes = TransitionBytes.encode(transition);
            }
            if (journal.pend(channel.subscription.id(), alertId, transition.at(), now, bytes)) {
                channel.wake();
            }
        }
    }

    /** A test message's id and what the receiver answered. */
    public record TestPost(String alertId, Webhook.Answer answer) {
    }

    /** Posts one test message to the subscription now (no rate limit, no retry). */
    public TestPost test(Subscription subscription, String principal) {
        String alertId = "test-" + UUID.randomUUID();
        String text = "Test alert from the PQL Suite, sent by " + principal + ": this subscription ("
                + subscription.id() + ") receives PQL alerts here.";
        String body = subscription.format() == Subscription.Format.JSON
                ? "{\"test\":true,\"text\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(text) + "}"
                : "{\"text\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(text) + "}";
        return new TestPost(alertId, webhook.post(subscription.url(), body, subscription.secret(), alertId));
    }

    public Stats stats(String subscriptionId) {
        AlertJournal.Counts counts = journal.counts(subscriptionId);
        Channel channel = channels.get(subscriptionId);
        return new Stats(counts.delivered(), journal.pendingCount(subscriptionId), counts.parked(), counts.summaries(),
                channel == null ? -1 : channel.schedule.failingSince(), channel == null ? "" : channel.schedule.lastError());
    }

    public long failedAttempts() {
        return failedAttempts.get();
    }

    public long summariesDropped() {
        return summariesDropped.get();
    }

    /** Over every subscription: delivered, pending, parked, summaries. */
    public long[] totals() {
        long[] totals = new long[4];
        for (String id : channels.keySet()) {
            Stats stats = stats(id);
            totals[0] += stats.delivered();
            totals[1] += stats.pending();
            totals[2] += stats.parked();
            totals[3] += stats.summaries();
        }
        return totals;
    }

    /** Forgets ids too old to come back as news, when the journal has grown. */
    public void maintain() {
        journal.compactIfLarge(clock.millis() - settings.freshness().toMillis() - Duration.ofHours(1).toMillis());
    }

    @Override
    public void close() {
        running = false;
        channels.values().forEach(Channel::stop);
        channels.clear();
        journal.close();
    }

    /** A subscription's worker: summaries and journaled alerts, in order, under its schedule. */
    private final class Channel implements Runnable {
        final Subscription subscription;
        final DeliverySchedule schedule = new DeliverySchedule(settings.policy());
        final BackfillSummary summary = new BackfillSummary(settings.summaryQuietPeriod());
        final Thread thread;
        final Object signal = new Object();
        volatile boolean active = true;
        BackfillSummary.Summary unsentSummary;
        String unsentSummaryId;
        long unsentSummarySince;

        Channel(Subscription subscription) {
            this.subscription = subscription;
            this.thread = new Thread(this, "scoring-alerts-" + subscription.id());
            thread.setDaemon(true);
            thread.start();
        }

        void wake() {
            synchronized (signal) {
                signal.notifyAll();
            }
        }

        void stop() {
            active = false;
            thread.interrupt();
        }

        @Override
        public void run() {
            while (active && running) {
                try {
                    if (!step()) {
                        long now = clock.millis();
                        long wait = Math.max(1, Math.min(IDLE_WAIT_MILLIS, schedule.nextAttemptAt() - now));
                        synchronized (signal) {
                            signal.wait(schedule.mayPostAt(now) ? IDLE_WAIT_MILLIS : wait);
                        }
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    LOG.warn("alert delivery to subscription {} failed: {}", subscription.id(), e.toString());
                    try {
                        Thread.sleep(IDLE_WAIT_MILLIS);
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        }

        /** @return true when it posted something (there may be more at once) */
        private boolean step() {
            long now = clock.millis();
            if (unsentSummary == null) {
                summary.takeIfQuiet(now).ifPresent(s -> {
                    unsentSummary = s;
                    unsentSummaryId = "summary-" + UUID.randomUUID();
                    unsentSummarySince = now;
                });
            }
            AlertJournal.Pending head = journal.head(subscription.id());
            if ((head == null && unsentSummary == null) || !schedule.mayPostAt(now) || !ready.getAsBoolean()) {
                return false;
            }
            if (head == null) {
                return postSummary(now);
            }
            PqlTransition transition = TransitionBytes.decode(head.transition());
            AccountDetails account = lookup(transition);
            if (!subscription.filter().matches(transition.owner(), account.size(), transition.kindsAfter(),
                    account.persona())) {
                journal.filteredOut(head);
                return true;
            }
            String body = subscription.format() == Subscription.Format.JSON
                    ? AlertMessages.json(pql.scoring.grpc.ScoreProtos.toProto(transition).toByteArray())
                    : messages.slack(transition, account);
            schedule.started(now);
            Webhook.Answer answer = webhook.post(subscription.url(), body, subscription.secret(), head.alertId());
            if (answer.delivered()) {
                journal.delivered(head);
                schedule.delivered();
                return true;
            }
            long failedAt = clock.millis();
            failedAttempts.incrementAndGet();
            if (schedule.failed(failedAt, head.pendingSince(), answer.retryAfter(), answer.error())
                    == DeliverySchedule.Verdict.PARK) {
                journal.parked(head);
                LOG.warn("alert {} for account {} parked: subscription {} kept failing for {} ({})", head.alertId(),
                        transition.accountId(), subscription.id(), Duration.ofMillis(failedAt - head.pendingSince()),
                        answer.error());
            } else {
                LOG.info("alert {} to subscription {} failed ({}); next attempt in {} ms", head.alertId(),
                        subscription.id(), answer.error(), Math.max(0, schedule.nextAttemptAt() - failedAt));
            }
            return false;
        }

        private boolean postSummary(long now) {
            schedule.started(now);
            Webhook.Answer answer = webhook.post(subscription.url(), messages.summary(unsentSummary, subscription.format()),
                    subscription.secret(), unsentSummaryId);
            if (answer.delivered()) {
                journal.summaryPosted(subscription.id());
                schedule.delivered();
                unsentSummary = null;
                return true;
            }
            // a summary is not news: it is retried like an alert, and dropped rather than parked
            failedAttempts.incrementAndGet();
            if (schedule.failed(clock.millis(), unsentSummarySince, answer.retryAfter(), answer.error())
                    == DeliverySchedule.Verdict.PARK) {
                summariesDropped.incrementAndGet();
                unsentSummary = null;
            }
            return false;
        }

        private AccountDetails lookup(PqlTransition transition) {
            try {
                return details.of(transition.accountId(), transition.definitionVersion(), transition.logPosition());
            } catch (RuntimeException e) {
                LOG.debug("no details for account {}: {}", transition.accountId(), e.toString());
                return AccountDetails.unknown();
            }
        }
    }

    /** The subscriptions' ids and their stats, for logs. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        channels.keySet().forEach(id -> parts.add(id + "=" + stats(id)));
        return "AlertDispatcher" + parts;
    }
}
