package pql.allinone.hostile;

import static pql.allinone.hostile.Calls.concat;
import static pql.allinone.hostile.Calls.lengthDelimited;
import static pql.allinone.hostile.Calls.varint;
import static pql.allinone.hostile.HostileCase.Expected.invalid;

import com.google.protobuf.Timestamp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import pql.allinone.hostile.HostileCase.Expected;
import pql.allinone.hostile.HostileCase.Transport;
import pql.v1.AccountProfiled;
import pql.v1.Channel;
import pql.v1.Communication;
import pql.v1.Direction;
import pql.v1.Event;
import pql.v1.IngestEventRequest;
import pql.v1.Money;
import pql.v1.Outcome;
import pql.v1.OutcomeKind;
import pql.v1.PlanLimitReached;
import pql.v1.Plan;
import pql.v1.ProductAction;
import pql.v1.SalesAssistanceRequested;
import pql.v1.UserIdentified;

/**
 * Every event kind's fields, one bad value at a time, through IngestEvent: INVALID_ARGUMENT at
 * {@code event.<path>} as ingest-service/README.md "Validation rules" and EventLimits state them;
 * and the accepted extremes (exactly at each limit), which the forecast must survive.
 */
final class IngestCases {

    /** A deal at ingest's limit: 10^12 currency units. */
    static final long MAX_MONEY_MICROS = 1_000_000_000_000_000_000L;
    /** The trial accounts that hold the accepted extremes; the forecast must still answer with them. */
    static final String EXTREME_TRIAL = "hx-extreme-trial";
    static final String FAR_TRIAL = "hx-far-trial";
    static final String OTHER_CURRENCY_TRIAL = "hx-xxx-trial";

    static final Instant NOW = Instant.now();
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final byte[] NOT_UTF8 = {(byte) 0xC3, 0x28};

    private final Calls calls;
    private final List<HostileCase> cases = new ArrayList<>();

    private IngestCases(Calls calls) {
        this.calls = calls;
    }

    static List<HostileCase> all(Calls calls) {
        IngestCases table = new IngestCases(calls);
        table.envelope();
        table.accountProfiled();
        table.userIdentified();
        table.productAction();
        table.communication();
        table.salesAssistance();
        table.planLimit();
        table.outcome();
        table.exchangeRate();
        table.acceptedExtremes();
        return table.cases;
    }

    private void envelope() {
        refused("event_id empty", action().setEventId(""), "event_id");
        refused("event_id of 129 characters", action().setEventId("e".repeat(129)), "event_id");
        refused("event_id with a control character", action().setEventId("e\u0007vil"), "event_id");
        refused("event_id with a space and a non-ASCII letter", action().setEventId("é v"), "event_id");
        refused("account_id empty", action().setAccountId(""), "account_id");
        refused("account_id of 129 characters", action().setAccountId("a".repeat(129)), "account_id");
        refused("account_id with a newline", action().setAccountId("acme\nadmin"), "account_id");
        refused("account_id of 10,000 characters", action().setAccountId("a".repeat(10_000)), "account_id");
        refusedBytes("account_id not UTF-8", concat(action().clearAccountId().build().toByteArray(), lengthDelimited(2, NOT_UTF8)),
                "account_id");
        refusedBytes("event_id not UTF-8", concat(action().clearEventId().build().toByteArray(), lengthDelimited(1, NOT_UTF8)),
                "event_id");
        refused("occurred_at missing", action().clearOccurredAt(), "occurred_at");
        refused("occurred_at nanos -1", action().setOccurredAt(Timestamp.newBuilder().setSeconds(NOW.getEpochSecond()).setNanos(-1)),
                "occurred_at");
        refused("occurred_at nanos 1,000,000,000",
                action().setOccurredAt(Timestamp.newBuilder().setSeconds(NOW.getEpochSecond()).setNanos(1_000_000_000)), "occurred_at");
        refused("occurred_at 1999-12-31T23:59:59Z", action().setOccurredAt(at("1999-12-31T23:59:59Z")), "occurred_at");
        refused("occurred_at at the epoch (1970)", action().setOccurredAt(Timestamp.getDefaultInstance()), "occurred_at");
        refused("occurred_at before 1970", action().setOccurredAt(at("1960-06-01T00:00:00Z")), "occurred_at");
        refused("occurred_at 6 minutes ahead", action().setOccurredAt(timestamp(NOW.plus(Duration.ofMinutes(6)))), "occurred_at");
        refused("occurred_at in 9999", action().setOccurredAt(at("9999-12-31T23:59:59Z")), "occurred_at");
        refused("occurred_at seconds Long.MAX_VALUE", action().setOccurredAt(Timestamp.newBuilder().setSeconds(Long.MAX_VALUE)),
                "occurred_at");
        refusedBytes("occurred_at sent as a number", concat(action().clearOccurredAt().build().toByteArray(), varint(3, 12345)),
                "occurred_at");
        refused("no kind (empty oneof)", action().clearKind(), "kind");
        refusedBytes("an unknown kind (field 99)", concat(action().clearKind().build().toByteArray(), lengthDelimited(99, new byte[] {8, 1})),
                "kind");
        refusedBytes("two kinds", concat(action().build().toByteArray(),
                lengthDelimited(10, AccountProfiled.newBuilder().setName("x").build().toByteArray())), "kind");
        cases.add(new HostileCase("IngestEvent without an event", Transport.GRPC,
                () -> Calls.grpc(() -> calls.ingest().ingestEvent(IngestEventRequest.getDefaultInstance()), r -> "answered"),
                invalid("event")));
    }

    private void accountProfiled() {
        refused("account_profiled.name of 201 characters", profile(p -> p.setName("n".repeat(201))), "account_profiled.name");
        refused("account_profiled.name of 201 emoji", profile(p -> p.setName("\uD83D\uDE00".repeat(201))), "account_profiled.name");
        refused("account_profiled.owner of 201 characters", profile(p -> p.setOwner("o".repeat(201))), "account_profiled.owner");
        refused("deal_size one micro over 10^12 units", profile(p -> p.setDealSize(usd(MAX_MONEY_MICROS + 1))),
                "account_profiled.deal_size.amount_micros");
        refused("deal_size Long.MAX_VALUE micros", profile(p -> p.setDealSize(usd(Long.MAX_VALUE))),
                "account_profiled.deal_size.amount_micros");
        refused("deal_size -1 micro", profile(p -> p.setDealSize(usd(-1))), "account_profiled.deal_size.amount_micros");
        refused("deal_size Long.MIN_VALUE micros", profile(p -> p.setDealSize(usd(Long.MIN_VALUE))),
                "account_profiled.deal_size.amount_micros");
        refused("deal_size currency lower-case", profile(p -> p.setDealSize(usd(1).toBuilder().setCurrency("usd"))),
                "account_profiled.deal_size.currency");
        refused("deal_size currency empty", profile(p -> p.setDealSize(usd(1).toBuilder().setCurrency(""))),
                "account_profiled.deal_size.currency");
        refused("deal_size currency of 4 letters", profile(p -> p.setDealSize(usd(1).toBuilder().setCurrency("USDX"))),
                "account_profiled.deal_size.currency");
        refused("deal_size with exact_amount", profile(p -> p.setDealSize(usd(1).toBuilder().setExactAmount("1e400"))),
                "account_profiled.deal_size.exact_amount");
        refused("opportunity_size 42 (unknown)", profile(p -> p.setOpportunitySizeValue(42)), "account_profiled.opportunity_size");
        refused("plan 9 (unknown)", profile(p -> p.setPlanValue(9)), "account_profiled.plan");
        refused("fit -3 (unknown)", profile(p -> p.setFitValue(-3)), "account_profiled.fit");
        refused("trial_start 1990", profile(p -> p.setTrialStart(at("1990-01-01T00:00:00Z"))), "account_profiled.trial_start");
        refused("trial_end before trial_start", profile(p -> p.setTrialStart(timestamp(NOW)).setTrialEnd(timestamp(NOW.minusSeconds(1)))),
                "account_profiled.trial_end");
        refused("trial_end nanos -5", profile(p -> p.setTrialEnd(Timestamp.newBuilder().setSeconds(NOW.getEpochSecond()).setNanos(-5))),
                "account_profiled.trial_end");
        refused("trial_end after 9999", profile(p -> p.setTrialEnd(Timestamp.newBuilder().setSeconds(253_402_300_800L))),
                "account_profiled.trial_end");
        refused("traits with 65 entries", profile(p -> p.putAllTraits(entries(65, 1))), "account_profiled.traits");
        refused("traits with an empty key", profile(p -> p.putTraits("", "v")), "account_profiled.traits");
        refused("traits key of 129 characters", profile(p -> p.putTraits("k".repeat(129), "v")), "account_profiled.traits");
        refused("traits of 33 KiB", profile(p -> p.putTraits("big", "v".repeat(33 * 1024))), "account_profiled.traits");
    }

    private void userIdentified() {
        refused("user_identified.user_id empty", user(u -> u.setUserId("")), "user_identified.user_id");
        refused("user_identified.user_id of 129 characters", user(u -> u.setUserId("u".repeat(129))), "user_identified.user_id");
        refused("user_identified.user_id with NUL", user(u -> u.setUserId("u\u0000")), "user_identified.user_id");
        refused("user_identified.email of 201 characters", user(u -> u.setEmail("e".repeat(191) + "@x.example")),
                "user_identified.email");
        refused("user_identified.traits of 1 MiB", user(u -> u.putTraits("big", "v".repeat(1024 * 1024 - 4096))),
                "user_identified.traits");
    }

    private void productAction() {
        refused("product_action.user_id missing", action(a -> a.setUserId("")), "product_action.user_id");
        refused("product_action.action empty", action(a -> a.setAction("")), "product_action.action");
        refused("product_action.action with a space", action(a -> a.setAction("drop table")), "product_action.action");
        refused("product_action.action of 129 characters", action(a -> a.setAction("a".repeat(129))), "product_action.action");
        refused("quantity NaN", action(a -> a.setQuantity(Double.NaN)), "product_action.quantity");
        refused("quantity +Infinity", action(a -> a.setQuantity(Double.POSITIVE_INFINITY)), "product_action.quantity");
        refused("quantity -Infinity", action(a -> a.setQuantity(Double.NEGATIVE_INFINITY)), "product_action.quantity");
        refused("quantity -1", action(a -> a.setQuantity(-1)), "product_action.quantity");
        refused("quantity 1e308", action(a -> a.setQuantity(1e308)), "product_action.quantity");
        refused("quantity Double.MAX_VALUE", action(a -> a.setQuantity(Double.MAX_VALUE)), "product_action.quantity");
        refused("quantity 10^9 + 1", action(a -> a.setQuantity(1_000_000_001)), "product_action.quantity");
        refused("properties with 65 entries", action(a -> a.putAllProperties(entries(65, 1))), "product_action.properties");
        byte[] varintQuantity = concat(ProductAction.newBuilder().setUserId("u1").setAction("report_created").build().toByteArray(),
                varint(3, 5));
        refusedBytes("quantity sent as a varint", concat(action().clearKind().build().toByteArray(), lengthDelimited(12, varintQuantity)),
                "product_action.quantity");
        byte[] badProperty = concat(ProductAction.newBuilder().setUserId("u1").setAction("report_created").build().toByteArray(),
                lengthDelimited(4, concat(lengthDelimited(1, "k".getBytes(StandardCharsets.UTF_8)), lengthDelimited(2, NOT_UTF8))));
        refusedBytes("a property value not UTF-8", concat(action().clearKind().build().toByteArray(), lengthDelimited(12, badProperty)),
                "product_action.properties");
        byte[] badUser = concat(ProductAction.newBuilder().setAction("report_created").build().toByteArray(), lengthDelimited(1, NOT_UTF8));
        refusedBytes("product_action.user_id not UTF-8", concat(action().clearKind().build().toByteArray(), lengthDelimited(12, badUser)),
                "product_action.user_id");
        refusedBytes("a user_id inside product_action cut short", concat(action().clearKind().build().toByteArray(),
                lengthDelimited(12, new byte[] {10, 50, 'u'})), "product_action.user_id");
        // product_action's own length says 50 bytes; the event ends after 2
        refusedBytes("product_action cut short", concat(action().clearKind().build().toByteArray(), new byte[] {0x62, 50, 'a', 'b'}),
                "product_action");
    }

    private void communication() {
        refused("communication.direction unspecified", communication(c -> c.setDirection(Direction.DIRECTION_UNSPECIFIED)),
                "communication.direction");
        refused("communication.direction 99", communication(c -> c.setDirectionValue(99)), "communication.direction");
        refused("communication.channel unspecified", communication(c -> c.setChannel(Channel.CHANNEL_UNSPECIFIED)),
                "communication.channel");
        refused("communication.channel 77", communication(c -> c.setChannelValue(77)), "communication.channel");
        refused("communication.sentiment 5", communication(c -> c.setSentimentValue(5)), "communication.sentiment");
        refused("communication.user_id of 129 characters", communication(c -> c.setUserId("u".repeat(129))), "communication.user_id");
    }

    private void salesAssistance() {
        refused("sales_assistance_requested.note of 2,001 characters",
                event().setSalesAssistanceRequested(SalesAssistanceRequested.newBuilder().setNote("n".repeat(2001))),
                "sales_assistance_requested.note");
        refused("sales_assistance_requested.user_id with a tab",
                event().setSalesAssistanceRequested(SalesAssistanceRequested.newBuilder().setUserId("u\t1")),
                "sales_assistance_requested.user_id");
    }

    private void planLimit() {
        refused("plan_limit_reached.limit empty", limit(l -> l.setLimit("")), "plan_limit_reached.limit");
        refused("plan_limit_reached.limit of 129 characters", limit(l -> l.setLimit("l".repeat(129))), "plan_limit_reached.limit");
        refused("plan_limit_reached.limit with an escape", limit(l -> l.setLimit("seats\u001b[2J")), "plan_limit_reached.limit");
        refused("usage NaN", limit(l -> l.setUsage(Double.NaN)), "plan_limit_reached.usage");
        refused("usage -1", limit(l -> l.setUsage(-1)), "plan_limit_reached.usage");
        refused("usage 10^16", limit(l -> l.setUsage(1e16)), "plan_limit_reached.usage");
        refused("limit_value +Infinity", limit(l -> l.setLimitValue(Double.POSITIVE_INFINITY)), "plan_limit_reached.limit_value");
        refused("limit_value 1e308", limit(l -> l.setLimitValue(1e308)), "plan_limit_reached.limit_value");
    }

    private void outcome() {
        refused("outcome.kind unspecified", outcome(o -> o.setKind(OutcomeKind.OUTCOME_KIND_UNSPECIFIED)), "outcome.kind");
        refused("outcome.kind 12", outcome(o -> o.setKindValue(12)), "outcome.kind");
        refused("converted without an amount", outcome(o -> o.clearAmount()), "outcome.amount");
        refused("outcome.amount -5 micros", outcome(o -> o.setAmount(usd(-5))), "outcome.amount.amount_micros");
        refused("outcome.amount over 10^12 units", outcome(o -> o.setAmount(usd(MAX_MONEY_MICROS + 1))), "outcome.amount.amount_micros");
        refused("outcome.amount currency 'EU'", outcome(o -> o.setAmount(usd(5).toBuilder().setCurrency("EU"))), "outcome.amount.currency");
        refused("outcome.reason of 2,001 characters", outcome(o -> o.setReason("r".repeat(2001))), "outcome.reason");
    }

    private void exchangeRate() {
        refused("exchange_rate.rate NaN", rate("EUR", "USD", "NaN", "2026-01-01"), "exchange_rate.rate");
        refused("exchange_rate.rate Infinity", rate("EUR", "USD", "Infinity", "2026-01-01"), "exchange_rate.rate");
        refused("exchange_rate.rate 0", rate("EUR", "USD", "0", "2026-01-01"), "exchange_rate.rate");
        refused("exchange_rate.rate -1.08", rate("EUR", "USD", "-1.08", "2026-01-01"), "exchange_rate.rate");
        refused("exchange_rate.rate 1e400", rate("EUR", "USD", "1e400", "2026-01-01"), "exchange_rate.rate");
        refused("exchange_rate.rate over 10^6", rate("EUR", "USD", "1000000.1", "2026-01-01"), "exchange_rate.rate");
        refused("exchange_rate.base 'eur'", rate("eur", "USD", "1.08", "2026-01-01"), "exchange_rate.base");
        refused("exchange_rate.quote = base", rate("EUR", "EUR", "1.08", "2026-01-01"), "exchange_rate.quote");
        refused("exchange_rate.effective_date 2026-02-30", rate("EUR", "USD", "1.08", "2026-02-30"), "exchange_rate.effective_date");
    }

    private static Event.Builder rate(String base, String quote, String rate, String date) {
        return event("hx-rates").setExchangeRate(pql.v1.ExchangeRate.newBuilder().setBase(base).setQuote(quote).setRate(rate)
                .setEffectiveDate(date));
    }

    /** At the limits, accepted: the inputs the forecast and the scores must survive. */
    private void acceptedExtremes() {
        Instant trialStart = NOW.minus(Duration.ofDays(2));
        accepted("a trial with a deal of exactly 10^12 units", event(EXTREME_TRIAL).setAccountProfiled(AccountProfiled.newBuilder()
                .setName("n".repeat(200)).setOwner("\uD83D\uDE00".repeat(200)).setPlan(Plan.PLAN_TRIAL).setDealSize(usd(MAX_MONEY_MICROS))
                .setTrialStart(timestamp(trialStart)).setTrialEnd(timestamp(NOW.plus(Duration.ofDays(20))))
                .putAllTraits(entries(64, 500))));
        accepted("quantity exactly 10^9", event(EXTREME_TRIAL).setProductAction(ProductAction.newBuilder().setUserId("u".repeat(128))
                .setAction("a".repeat(128)).setQuantity(1e9)));
        accepted("quantity exactly 10^9 of a common action", event(EXTREME_TRIAL).setProductAction(ProductAction.newBuilder()
                .setUserId("u1").setAction("report_created").setQuantity(1e9)));
        accepted("quantity 4.9e-324 (the smallest double)", event(EXTREME_TRIAL).setProductAction(ProductAction.newBuilder()
                .setUserId("u1").setAction("report_created").setQuantity(Double.MIN_VALUE)));
        accepted("usage and limit_value exactly 10^15", event(EXTREME_TRIAL).setPlanLimitReached(PlanLimitReached.newBuilder()
                .setLimit("seats").setUsage(1e15).setLimitValue(1e15)));
        accepted("a trial ending 9999-12-31 with a deal of 10^12 units", event(FAR_TRIAL).setAccountProfiled(AccountProfiled.newBuilder()
                .setPlan(Plan.PLAN_TRIAL).setDealSize(usd(MAX_MONEY_MICROS)).setTrialStart(timestamp(trialStart))
                .setTrialEnd(at("9999-12-31T23:59:59Z"))));
        accepted("a trial with a deal of 10^12 units in currency XXX", event(OTHER_CURRENCY_TRIAL).setAccountProfiled(
                AccountProfiled.newBuilder().setPlan(Plan.PLAN_TRIAL).setDealSize(Money.newBuilder().setAmountMicros(MAX_MONEY_MICROS)
                        .setCurrency("XXX")).setTrialStart(timestamp(trialStart)).setTrialEnd(timestamp(NOW.plus(Duration.ofDays(1))))));
        accepted("a conversion of exactly 10^12 units", event("hx-extreme-won").setOutcome(Outcome.newBuilder()
                .setKind(OutcomeKind.OUTCOME_KIND_CONVERTED).setAmount(usd(MAX_MONEY_MICROS)).setReason("r".repeat(2000))));
        accepted("occurred_at exactly 2000-01-01T00:00:00Z", event("hx-y2k").setOccurredAt(at("2000-01-01T00:00:00Z"))
                .setUserIdentified(UserIdentified.newBuilder().setUserId("u1").setEmail("e".repeat(200))));
        accepted("event_id and account_id of exactly 128 characters", event("A".repeat(128)).setEventId("E".repeat(128))
                .setSalesAssistanceRequested(SalesAssistanceRequested.newBuilder().setNote("\uD83D\uDE00".repeat(2000))));
    }

    // --- the case shapes ---

    private void refused(String name, Event.Builder event, String path) {
        cases.add(new HostileCase("IngestEvent: " + name, Transport.GRPC,
                () -> Calls.grpc(() -> calls.ingest().ingestEvent(IngestEventRequest.newBuilder().setEvent(event).build()),
                        response -> response.getResult().getStatus().name()),
                invalid("event." + path)));
    }

    /** An event's bytes written by hand (what a generated client cannot send), as IngestEvent's event field. */
    private void refusedBytes(String name, byte[] event, String path) {
        cases.add(new HostileCase("IngestEvent: " + name, Transport.GRPC,
                () -> calls.raw("pql.v1.IngestService/IngestEvent", lengthDelimited(1, event), new io.grpc.Metadata(),
                        calls.options(calls.allScopes)),
                invalid("event." + path)));
    }

    private void accepted(String name, Event.Builder event) {
        cases.add(new HostileCase("IngestEvent: " + name + " (accepted)", Transport.GRPC,
                () -> Calls.grpc(() -> calls.ingest().ingestEvent(IngestEventRequest.newBuilder().setEvent(event).build()),
                        response -> response.getResult().getStatus().name()),
                Expected.ok("STATUS_ACCEPTED")));
    }

    // --- valid events of each kind, to spoil one field of ---

    static Event.Builder event() {
        return event("hx-refused");
    }

    static Event.Builder event(String accountId) {
        return Event.newBuilder().setEventId("hx-" + IDS.incrementAndGet()).setAccountId(accountId)
                .setOccurredAt(timestamp(NOW.minusSeconds(60)));
    }

    static Event.Builder action() {
        return event().setProductAction(ProductAction.newBuilder().setUserId("u1").setAction("report_created").setQuantity(1));
    }

    private static Event.Builder action(UnaryOperator<ProductAction.Builder> spoil) {
        return event().setProductAction(spoil.apply(ProductAction.newBuilder().setUserId("u1").setAction("report_created").setQuantity(1)));
    }

    private static Event.Builder profile(UnaryOperator<AccountProfiled.Builder> spoil) {
        return event().setAccountProfiled(spoil.apply(AccountProfiled.newBuilder().setName("Acme").setPlan(Plan.PLAN_TRIAL)
                .setDealSize(usd(1_000_000))));
    }

    private static Event.Builder user(UnaryOperator<UserIdentified.Builder> spoil) {
        return event().setUserIdentified(spoil.apply(UserIdentified.newBuilder().setUserId("u1").setEmail("u1@acme.example")));
    }

    private static Event.Builder communication(UnaryOperator<Communication.Builder> spoil) {
        return event().setCommunication(spoil.apply(Communication.newBuilder().setUserId("u1")
                .setDirection(Direction.DIRECTION_INBOUND).setChannel(Channel.CHANNEL_EMAIL)));
    }

    private static Event.Builder limit(UnaryOperator<PlanLimitReached.Builder> spoil) {
        return event().setPlanLimitReached(spoil.apply(PlanLimitReached.newBuilder().setLimit("seats").setUsage(10).setLimitValue(10)));
    }

    private static Event.Builder outcome(UnaryOperator<Outcome.Builder> spoil) {
        return event().setOutcome(spoil.apply(Outcome.newBuilder().setKind(OutcomeKind.OUTCOME_KIND_CONVERTED).setAmount(usd(5))));
    }

    static Money usd(long micros) {
        return Money.newBuilder().setAmountMicros(micros).setCurrency("USD").build();
    }

    /** {@code count} entries whose keys and values have {@code valueLength} characters together about. */
    private static Map<String, String> entries(int count, int valueLength) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            map.put("k" + i, "v".repeat(valueLength));
        }
        return map;
    }

    static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    static Timestamp at(String instant) {
        return timestamp(Instant.parse(instant));
    }
}
