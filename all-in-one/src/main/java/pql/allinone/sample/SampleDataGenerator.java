package pql.allinone.sample;

import com.google.protobuf.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import pql.v1.AccountProfiled;
import pql.v1.Channel;
import pql.v1.Communication;
import pql.v1.Direction;
import pql.v1.Event;
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
 * Realistic trials for demos and tests, deterministic for a seed and an anchor instant ("now").
 *
 * <p>Every trial is one of the seven personas (see {@link Archetype}); open trials started in
 * the last four weeks and end in the coming weeks, closed ones ran in the ~90 days before the
 * anchor and ended converted (with or without sales), lost, or converted and later churned, with
 * conversion rates near the personas' odds. Opportunity sizes SMALL, MID and LARGE come with
 * matching deal sizes (a fifth of the profiles leave the size to the deal-size bands), users per
 * account grow with the size, actions follow the INTERMEDIATE checklist, and the PQL kinds all
 * occur: activation or a behavioural trigger (2,000 messages, 10 invoices in 14 days), hand-raisers,
 * plan limits and touchless purchases. No event is after {@code anchor}.
 *
 * <p>On top of the personas it plants a known truth ({@link PlantedSignal}, written out by
 * {@link SampleTruth}): three actions at a threshold really separate converting trials from lost
 * ones, three are noise, and logins are frequent but independent of everything. These draws come
 * from a second random stream so the persona behaviour stays as it was.
 *
 * <p>The default 2,000 accounts make about 200,000 events.
 */
public final class SampleDataGenerator {

    public static final int DEFAULT_ACCOUNTS = 2000;
    public static final long DEFAULT_SEED = 42;

    static final List<String> OWNERS = List.of(
            "ana.silva@pql.example", "ben.okafor@pql.example", "chloe.martin@pql.example",
            "dev.patel@pql.example", "erik.lund@pql.example", "fiona.walsh@pql.example");

    /** Actions that engage without completing a checklist step (weights: default 1, invoices 2, messages 0.1). */
    static final List<String> EVERYDAY_ACTIONS = List.of(
            "report_viewed", "dashboard_viewed", "comment_added", "filter_applied", "export_downloaded",
            "alert_configured", "invoice_submitted", "message_sent");

    /** Mixed into the seed for the planted signal's own random stream. */
    private static final long SIGNAL_STREAM = 0x5EED_5EEDL;

    private static final List<String> LIMITS = List.of("seats", "projects", "api_calls", "storage_gb");

    private SampleDataGenerator() {
    }

    /** @param anchor the instant the sample ends at, usually now; nothing happens after it */
    public static List<Event> generate(int accounts, long seed, Instant anchor) {
        if (accounts < 1) {
            throw new IllegalArgumentException("accounts must be >= 1");
        }
        Instant end = anchor.truncatedTo(ChronoUnit.SECONDS);
        Random random = new Random(seed);
        // SplitMix (SplittableRandom), not an LCG: the planted truth must not inherit a generator's correlations.
        SplittableRandom signal = new SplittableRandom(seed ^ SIGNAL_STREAM);
        List<Event> events = new ArrayList<>(accounts * 100);
        int totalShare = 0;
        for (Archetype archetype : Archetype.values()) {
            totalShare += archetype.share;
        }
        for (int number = 1; number <= accounts; number++) {
            // The first accounts cycle through every persona, open and closed, so even a small
            // sample has each of them; the rest follow the shares.
            Archetype archetype = number <= 2 * Archetype.values().length
                    ? Archetype.values()[(number - 1) % Archetype.values().length]
                    : pick(random, totalShare);
            boolean open = number <= Archetype.values().length || (number > 2 * Archetype.values().length && random.nextDouble() < 0.6);
            new TrialScript(number, archetype, open, new Random(random.nextLong()), signal.split(), end).writeTo(events);
        }
        // The log in the order things happened, as live ingestion would have written it.
        events.sort(Comparator.comparingLong((Event event) -> event.getOccurredAt().getSeconds())
                .thenComparingInt(event -> event.getOccurredAt().getNanos())
                .thenComparing(Event::getAccountId)
                .thenComparing(Event::getEventId));
        return events;
    }

    private static Archetype pick(Random random, int totalShare) {
        int ticket = random.nextInt(totalShare);
        for (Archetype archetype : Archetype.values()) {
            ticket -= archetype.share;
            if (ticket < 0) {
                return archetype;
            }
        }
        return Archetype.HEARTBREAKER;
    }

    /** One account's story, written as events. */
    private static final class TrialScript {

        private final Archetype archetype;
        private final boolean open;
        private final Random random;
        /** The planted signal's draws (PlantedSignal), apart from the persona's. */
        private final SplittableRandom signal;
        /** Closed trials: whether it converted; open ones: whether it would, which the planted signal follows. */
        private final boolean converted;
        private final Instant anchor;
        private final String accountId;
        private final String name;
        private final List<Event> events = new ArrayList<>();
        private final List<String> users = new ArrayList<>();
        private int sequence;

        private final OpportunitySize size;
        private final Instant trialStart;
        private final Instant trialEnd;
        /** When scoring will evaluate the account: its newest event (open) or its outcome (closed). */
        private final Instant evaluatedAt;
        private double points;

        TrialScript(int number, Archetype archetype, boolean open, Random random, SplittableRandom signal, Instant anchor) {
            this.archetype = archetype;
            this.open = open;
            this.random = random;
            this.signal = signal;
            this.converted = signal.nextDouble() < archetype.conversionRate;
            this.anchor = anchor;
            this.name = CompanyNames.company(random);
            this.accountId = CompanyNames.accountId(name, number);
            double roll = random.nextDouble();
            this.size = roll < 0.45 ? OpportunitySize.OPPORTUNITY_SIZE_SMALL
                    : roll < 0.80 ? OpportunitySize.OPPORTUNITY_SIZE_MID : OpportunitySize.OPPORTUNITY_SIZE_LARGE;
            if (open) {
                // Fizzlers did their steps early and went quiet: give them time to cool down.
                int startedDaysAgo = archetype == Archetype.FIZZLER ? 20 + random.nextInt(9) : 5 + random.nextInt(22);
                trialStart = anchor.minus(days(startedDaysAgo)).minus(minutes(random.nextInt(24 * 60)));
                trialEnd = trialStart.plus(days(30));
                evaluatedAt = anchor.minus(minutes(30 + random.nextInt(18 * 60)));
            } else {
                int startedDaysAgo = 40 + random.nextInt(50);
                trialStart = anchor.minus(days(startedDaysAgo)).minus(minutes(random.nextInt(24 * 60)));
                trialEnd = trialStart.plus(days(30));
                evaluatedAt = trialEnd.minus(minutes(random.nextInt(3 * 24 * 60)));
            }
        }

        void writeTo(List<Event> sink) {
            profile();
            identifyUsers();
            checklist();
            triggers();
            plantedPredictors();
            noise();
            engagement();
            communication();
            handRaiserAndLimits();
            idleLogins();
            if (open) {
                login(evaluatedAt);
            } else {
                outcome();
            }
            sink.addAll(events);
        }

        private void profile() {
            long dealUnits = switch (size) {
                case OPPORTUNITY_SIZE_SMALL -> 2_000 + random.nextInt(7_500);
                case OPPORTUNITY_SIZE_MID -> 12_000 + random.nextInt(35_000);
                default -> 55_000 + random.nextInt(195_000);
            };
            // Round deals like sales people quote them.
            dealUnits = Math.round(dealUnits / 500.0) * 500;
            AccountProfiled.Builder profile = AccountProfiled.newBuilder()
                    .setName(name)
                    .setDealSize(usd(dealUnits))
                    // A fifth leave the size to the definition's deal-size bands.
                    .setOpportunitySize(random.nextDouble() < 0.2 ? OpportunitySize.OPPORTUNITY_SIZE_UNSPECIFIED : size)
                    .setOwner(OWNERS.get(random.nextInt(OWNERS.size())))
                    .setPlan(Plan.PLAN_TRIAL)
                    .setTrialStart(timestamp(trialStart))
                    .setTrialEnd(timestamp(trialEnd))
                    .setFit(archetype.fit)
                    .putTraits("industry", industry())
                    .putTraits("employees", Integer.toString(employees()))
                    .putTraits("sample_persona", archetype.name().toLowerCase(java.util.Locale.ROOT));
            add(trialStart, Event.newBuilder().setAccountProfiled(profile));
        }

        private void identifyUsers() {
            int count = switch (size) {
                case OPPORTUNITY_SIZE_SMALL -> 1 + random.nextInt(4);
                case OPPORTUNITY_SIZE_MID -> 3 + random.nextInt(8);
                default -> 6 + random.nextInt(20);
            };
            String domain = accountId.replaceAll("-\\d+$", "") + ".example";
            for (int i = 0; i < count; i++) {
                String person = CompanyNames.PEOPLE.get((i + random.nextInt(CompanyNames.PEOPLE.size())) % CompanyNames.PEOPLE.size());
                String userId = "u-" + accountId + "-" + (i + 1);
                users.add(userId);
                add(trialStart.plus(minutes(1 + i)).plusSeconds(random.nextInt(50)), Event.newBuilder()
                        .setUserIdentified(UserIdentified.newBuilder().setUserId(userId).setEmail(person + (i + 1) + "@" + domain)
                                .putTraits("role", i == 0 ? "admin" : (random.nextBoolean() ? "analyst" : "viewer"))));
            }
        }

        /** The first steps in order, as a funnel: setting up, connecting data, inviting... */
        private void checklist() {
            int steps = archetype.minSteps + random.nextInt(archetype.maxSteps - archetype.minSteps + 1);
            Instant from = trialStart.plus(minutes(20));
            // Fizzlers do it all in their first days; others over the trial so far.
            Duration span = archetype == Archetype.FIZZLER ? days(4)
                    : Duration.between(from, evaluatedAt).multipliedBy(6).dividedBy(10);
            for (int i = 0; i < PresetModel.CHECKLIST.size(); i++) {
                PresetModel.Step step = PresetModel.CHECKLIST.get(i);
                // A step not reached may still be started (one invite of two), never finished.
                int count = i < steps ? step.minCount() : (i == steps && step.minCount() > 1 && random.nextBoolean() ? 1 : 0);
                for (int c = 0; c < count; c++) {
                    Instant at = from.plus(span.multipliedBy(i * 10L + c + 1).dividedBy(PresetModel.CHECKLIST.size() * 10L + 5));
                    action(at, i == 0 ? users.get(0) : user(), step.action(), 1);
                }
            }
        }

        /** Behavioural triggers: some heavy messagers, some bursts of invoices. */
        private void triggers() {
            boolean highlyEngaged = archetype.engagement == Archetype.Engagement.HIGH;
            if (highlyEngaged && random.nextDouble() < 0.12) {
                int remaining = PresetModel.MESSAGE_TRIGGER_COUNT + 100 + random.nextInt(600);
                Instant at = evaluatedAt.minus(days(9));
                while (remaining > 0) {
                    int today = Math.min(remaining, 180 + random.nextInt(160));
                    action(at.plus(minutes(random.nextInt(600))), user(), PresetModel.MESSAGE_TRIGGER_ACTION, today);
                    remaining -= today;
                    at = at.plus(days(1));
                }
            }
            if (archetype == Archetype.CONTRARY_CONVERTER && random.nextDouble() < 0.2) {
                int invoices = PresetModel.INVOICE_TRIGGER_COUNT + random.nextInt(3);
                Instant from = later(trialStart, evaluatedAt.minus(days(10)));
                for (int i = 0; i < invoices; i++) {
                    action(between(from, evaluatedAt.minus(minutes(5))), user(), PresetModel.INVOICE_TRIGGER_ACTION, 1);
                }
            }
        }

        /**
         * The planted predictors: a met one is done exactly its count of times inside its window; of the
         * others, half nearly meet a windowed one (one short inside the window, one more after it),
         * so neither a smaller count in the window nor the count over the whole trial is the rule.
         */
        private void plantedPredictors() {
            Instant from = trialStart.plus(hoursOf(1));
            Instant last = evaluatedAt.minus(minutes(5));
            for (PlantedSignal.Predictor predictor : PlantedSignal.PREDICTORS) {
                boolean met = signal.nextDouble() < (converted ? predictor.shareOfConverted() : predictor.shareOfLost());
                if (met) {
                    Duration span = predictor.withinDays() == 0 ? Duration.between(from, last) : days(predictor.withinDays() - 1);
                    Instant start = between(from, last.minus(span), signal.nextDouble());
                    for (int i = 0; i < predictor.minCount(); i++) {
                        planted(between(start, start.plus(span), signal.nextDouble()), predictor.action(), last);
                    }
                } else if (predictor.withinDays() > 0 && signal.nextBoolean()) {
                    // A near miss: one short of the count inside the window, one more long after it.
                    Instant start = between(from, later(from, last.minus(days(predictor.withinDays() + 12L))), signal.nextDouble());
                    for (int i = 0; i < predictor.minCount() - 1; i++) {
                        planted(start.plus(hoursOf(20L * i)), predictor.action(), last);
                    }
                    planted(start.plus(days(predictor.withinDays() + 3L)), predictor.action(), last);
                }
            }
        }

        /** Noise: the same few actions at the same rates for every trial. */
        private void noise() {
            Instant from = trialStart.plus(hoursOf(1));
            Instant last = evaluatedAt.minus(minutes(5));
            for (int i = 0; i < PlantedSignal.NOISE_ACTIONS.size(); i++) {
                int count = signal.nextInt(PlantedSignal.NOISE_MOST[i] + 1);
                for (int c = 0; c < count; c++) {
                    planted(between(from, last, signal.nextDouble()), PlantedSignal.NOISE_ACTIONS.get(i), last);
                }
            }
        }

        private void planted(Instant at, String action, Instant last) {
            if (!at.isAfter(last)) {
                action(at, users.get(signal.nextInt(users.size())), action, 1);
            }
        }

        /** Everyday use until the account's engagement lands inside its archetype's band. */
        private void engagement() {
            double target = archetype.engagement.min + random.nextDouble() * (archetype.engagement.max - archetype.engagement.min);
            // Engaged accounts are busy in the last days; the rest trickle along.
            Duration busy = archetype.engagement == Archetype.Engagement.LOW ? days(25) : days(9);
            Instant from = later(trialStart.plus(minutes(30)), evaluatedAt.minus(busy));
            boolean reportsDone = PresetModel.CHECKLIST.size() > 3 && archetype.minSteps >= 4;
            int guard = 0;
            while (points < target && guard++ < 5000) {
                String action = EVERYDAY_ACTIONS.get(random.nextInt(EVERYDAY_ACTIONS.size()));
                if (action.equals(PresetModel.INVOICE_TRIGGER_ACTION) && archetype != Archetype.CONTRARY_CONVERTER
                        && random.nextBoolean()) {
                    action = "report_viewed";
                }
                if (reportsDone && archetype.engagement == Archetype.Engagement.HIGH && random.nextInt(3) == 0) {
                    action = random.nextBoolean() ? "report_created" : "dashboard_shared";
                }
                double quantity = action.equals("message_sent") ? 5 + random.nextInt(40) : 1;
                Instant at = between(from, evaluatedAt.minus(minutes(2)));
                double gain = PresetModel.points(action, quantity, at, evaluatedAt);
                if (points + gain > archetype.engagement.max) {
                    continue;
                }
                action(at, user(), action, quantity);
            }
        }

        private void communication() {
            Instant windowStart = later(trialStart.plus(minutes(10)), evaluatedAt.minus(days(12)));
            if (archetype.communicative) {
                int inbound = 3 + random.nextInt(4);
                for (int i = 0; i < inbound; i++) {
                    communicate(between(windowStart, evaluatedAt.minus(minutes(3))), Direction.DIRECTION_INBOUND,
                            pickChannel(true), false, sentiment());
                }
                int outbound = random.nextInt(4);
                for (int i = 0; i < outbound; i++) {
                    communicate(between(windowStart, evaluatedAt.minus(minutes(3))), Direction.DIRECTION_OUTBOUND,
                            Channel.CHANNEL_EMAIL, random.nextBoolean(), sentiment());
                }
            } else {
                // Sales reach out; nobody answers. At most one inbound in the window.
                int outbound = 1 + random.nextInt(3);
                for (int i = 0; i < outbound; i++) {
                    communicate(between(windowStart, evaluatedAt.minus(minutes(3))), Direction.DIRECTION_OUTBOUND,
                            Channel.CHANNEL_EMAIL, false, Sentiment.SENTIMENT_NEUTRAL);
                }
                if (random.nextDouble() < 0.3) {
                    communicate(between(windowStart, evaluatedAt.minus(minutes(3))), Direction.DIRECTION_INBOUND,
                            Channel.CHANNEL_TICKET, false, sentiment());
                }
            }
        }

        private void handRaiserAndLimits() {
            double handRaise = switch (archetype) {
                case GOLDEN_LEAD -> 0.45;
                case CONTRARY_CONVERTER -> 0.35;
                case POSITIVE_PROCRASTINATOR -> 0.30;
                case INCOMPATIBLE_IGNORAMUS -> 0.15;
                default -> 0.03;
            };
            Instant windowStart = later(trialStart.plus(hoursOf(2)), evaluatedAt.minus(days(10)));
            if (random.nextDouble() < handRaise) {
                add(between(windowStart, evaluatedAt.minus(minutes(4))), Event.newBuilder().setSalesAssistanceRequested(
                        SalesAssistanceRequested.newBuilder().setUserId(user()).setNote(note())));
            }
            double limit = switch (archetype) {
                case SILENT_SUCCESS -> 0.5;
                case GOLDEN_LEAD -> 0.3;
                case FIZZLER -> 0.1;
                case CONTRARY_CONVERTER -> 0.1;
                default -> 0.0;
            };
            if (random.nextDouble() < limit) {
                String which = LIMITS.get(random.nextInt(LIMITS.size()));
                double value = switch (which) {
                    case "seats" -> 5;
                    case "projects" -> 10;
                    case "api_calls" -> 10_000;
                    default -> 50;
                };
                add(between(windowStart, evaluatedAt.minus(minutes(4))), Event.newBuilder().setPlanLimitReached(
                        PlanLimitReached.newBuilder().setLimit(which).setUserId(user()).setUsage(value).setLimitValue(value)));
            }
        }

        /** Logins on most days somebody used the product: they do not count, but they are most of real traffic. */
        private void idleLogins() {
            Instant day = trialStart.truncatedTo(ChronoUnit.DAYS).plus(hoursOf(8));
            // Independent of persona and outcome: logins say nothing about converting (PlantedSignal).
            double rate = 0.3 + signal.nextDouble() * 0.6;
            while (day.isBefore(evaluatedAt.minus(hoursOf(1)))) {
                if (day.isAfter(trialStart) && signal.nextDouble() < rate) {
                    // Not by the number of users: that follows the opportunity size, which may go with the persona.
                    int sessions = 1 + signal.nextInt(3);
                    for (int i = 0; i < sessions; i++) {
                        Instant at = day.plus(minutes(signal.nextInt(9 * 60)));
                        if (at.isBefore(evaluatedAt.minus(minutes(1)))) {
                            login(at);
                        }
                    }
                }
                day = day.plus(days(1));
            }
        }

        private void outcome() {
            if (!converted) {
                add(evaluatedAt, Event.newBuilder().setOutcome(Outcome.newBuilder().setKind(OutcomeKind.OUTCOME_KIND_LOST)
                        .setReason(random.nextBoolean() ? "chose a competitor" : "no budget this quarter")));
                return;
            }
            // Quiet, happy accounts buy on their own more often.
            double touchless = archetype == Archetype.SILENT_SUCCESS ? 0.65 : archetype.communicative ? 0.2 : 0.4;
            boolean salesTouched = random.nextDouble() >= touchless;
            AccountProfiled paid = AccountProfiled.newBuilder().setPlan(Plan.PLAN_PAID).build();
            Money amount = Money.newBuilder().setCurrency("USD").setAmountMicros(dealMicros()).build();
            add(evaluatedAt, Event.newBuilder().setOutcome(Outcome.newBuilder().setKind(OutcomeKind.OUTCOME_KIND_CONVERTED)
                    .setAmount(amount).setSalesTouched(salesTouched)));
            add(evaluatedAt.plus(minutes(1)), Event.newBuilder().setAccountProfiled(paid));
            Instant churnAt = evaluatedAt.plus(days(10 + random.nextInt(25)));
            if (random.nextDouble() < 0.12 && churnAt.isBefore(anchor)) {
                add(churnAt, Event.newBuilder().setOutcome(Outcome.newBuilder().setKind(OutcomeKind.OUTCOME_KIND_CHURNED)
                        .setReason("did not renew")));
            }
        }

        private long dealMicros() {
            Event first = events.get(0);
            return first.getAccountProfiled().getDealSize().getAmountMicros();
        }

        // --- small helpers ---

        private void action(Instant at, String user, String action, double quantity) {
            ProductAction.Builder product = ProductAction.newBuilder().setUserId(user).setAction(action);
            if (quantity != 1) {
                product.setQuantity(quantity);
            }
            if (action.equals("report_created") || action.equals("report_viewed")) {
                product.putProperties("report_type", random.nextBoolean() ? "revenue" : "pipeline");
            }
            add(at, Event.newBuilder().setProductAction(product));
            points += PresetModel.points(action, quantity, at, evaluatedAt);
        }

        private void login(Instant at) {
            add(at, Event.newBuilder().setProductAction(ProductAction.newBuilder()
                    .setUserId(users.get(signal.nextInt(users.size()))).setAction(PlantedSignal.LOGIN)));
        }

        private void communicate(Instant at, Direction direction, Channel channel, boolean responded, Sentiment sentiment) {
            Communication.Builder communication = Communication.newBuilder()
                    .setDirection(direction).setChannel(channel).setResponded(responded).setSentiment(sentiment);
            if (direction == Direction.DIRECTION_INBOUND) {
                communication.setUserId(user());
            }
            add(at, Event.newBuilder().setCommunication(communication));
        }

        private void add(Instant at, Event.Builder event) {
            Instant when = at.isAfter(anchor) ? anchor : at;
            events.add(event.setEventId(accountId + "-e" + String.format("%05d", ++sequence))
                    .setAccountId(accountId)
                    .setOccurredAt(timestamp(when))
                    .build());
        }

        /** The first user drives the account (the champion); the others share the rest. */
        private String user() {
            if (users.size() == 1 || random.nextDouble() < 0.45) {
                return users.get(0);
            }
            return users.get(1 + random.nextInt(users.size() - 1));
        }

        private Instant between(Instant from, Instant to) {
            return between(from, to, random.nextDouble());
        }

        /** The instant {@code fraction} (0..1) of the way from {@code from} to {@code to}. */
        private static Instant between(Instant from, Instant to, double fraction) {
            long span = Duration.between(from, to).toSeconds();
            if (span <= 0) {
                return from;
            }
            return from.plusSeconds((long) (fraction * span));
        }

        private static Instant later(Instant a, Instant b) {
            return a.isAfter(b) ? a : b;
        }

        private Channel pickChannel(boolean inbound) {
            Channel[] channels = inbound
                    ? new Channel[] {Channel.CHANNEL_EMAIL, Channel.CHANNEL_CHAT, Channel.CHANNEL_MEETING, Channel.CHANNEL_CALL,
                        Channel.CHANNEL_TICKET}
                    : new Channel[] {Channel.CHANNEL_EMAIL, Channel.CHANNEL_CALL};
            return channels[random.nextInt(channels.length)];
        }

        private Sentiment sentiment() {
            double roll = random.nextDouble();
            return switch (archetype) {
                case GOLDEN_LEAD, POSITIVE_PROCRASTINATOR -> roll < 0.7 ? Sentiment.SENTIMENT_POSITIVE : Sentiment.SENTIMENT_NEUTRAL;
                case CONTRARY_CONVERTER -> roll < 0.35 ? Sentiment.SENTIMENT_NEGATIVE
                        : roll < 0.7 ? Sentiment.SENTIMENT_NEUTRAL : Sentiment.SENTIMENT_POSITIVE;
                case INCOMPATIBLE_IGNORAMUS, HEARTBREAKER -> roll < 0.5 ? Sentiment.SENTIMENT_NEGATIVE : Sentiment.SENTIMENT_NEUTRAL;
                default -> roll < 0.5 ? Sentiment.SENTIMENT_POSITIVE : Sentiment.SENTIMENT_NEUTRAL;
            };
        }

        private String note() {
            List<String> notes = List.of("Can we get a demo for our finance team?", "We need SSO before we can roll out.",
                    "What would pricing look like for 50 seats?", "Please call me about an annual plan.");
            return notes.get(random.nextInt(notes.size()));
        }

        private String industry() {
            List<String> industries = List.of("software", "retail", "healthcare", "logistics", "finance", "education", "media");
            return industries.get(random.nextInt(industries.size()));
        }

        private int employees() {
            return switch (size) {
                case OPPORTUNITY_SIZE_SMALL -> 5 + random.nextInt(45);
                case OPPORTUNITY_SIZE_MID -> 50 + random.nextInt(450);
                default -> 500 + random.nextInt(9500);
            };
        }

        private static Money usd(long units) {
            return Money.newBuilder().setCurrency("USD").setAmountMicros(units * 1_000_000L).build();
        }

        private static Timestamp timestamp(Instant instant) {
            return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
        }

        private static Duration days(long days) {
            return Duration.ofDays(days);
        }

        private static Duration hoursOf(long hours) {
            return Duration.ofHours(hours);
        }

        private static Duration minutes(long minutes) {
            return Duration.ofMinutes(minutes);
        }
    }
}
