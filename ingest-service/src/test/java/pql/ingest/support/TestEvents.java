package pql.ingest.support;

import com.google.protobuf.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import pql.v1.AccountProfiled;
import pql.v1.Channel;
import pql.v1.Communication;
import pql.v1.Direction;
import pql.v1.Event;
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

/** Valid events of every kind, against a fixed server clock. */
public final class TestEvents {

    public static final Instant NOW = Instant.parse("2026-03-02T10:15:30Z");
    public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private TestEvents() {
    }

    public static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    /** Ids, account and occurred_at one hour before {@link #NOW}; no kind. */
    public static Event.Builder base(String eventId, String accountId) {
        return Event.newBuilder().setEventId(eventId).setAccountId(accountId).setOccurredAt(timestamp(NOW.minusSeconds(3600)));
    }

    public static Event productAction(String eventId, String accountId) {
        return base(eventId, accountId).setProductAction(ProductAction.newBuilder()
                .setUserId("u-1").setAction("invoice_submitted").setQuantity(2).putProperties("client", "web")).build();
    }

    public static Event accountProfiled(String eventId, String accountId) {
        return base(eventId, accountId).setAccountProfiled(AccountProfiled.newBuilder()
                .setName("Acme Inc.")
                .setDealSize(Money.newBuilder().setAmountMicros(12_000_000_000L).setCurrency("USD"))
                .setOpportunitySize(OpportunitySize.OPPORTUNITY_SIZE_MID)
                .setOwner("dana@sales.example")
                .setPlan(Plan.PLAN_TRIAL)
                .setTrialStart(timestamp(NOW.minusSeconds(86_400 * 3)))
                .setTrialEnd(timestamp(NOW.plusSeconds(86_400 * 11)))
                .setFit(Fit.FIT_GOOD)
                .putTraits("industry", "software")).build();
    }

    public static Event userIdentified(String eventId, String accountId) {
        return base(eventId, accountId).setUserIdentified(UserIdentified.newBuilder()
                .setUserId("u-1").setEmail("ann@acme.example").putTraits("role", "admin")).build();
    }

    public static Event communication(String eventId, String accountId) {
        return base(eventId, accountId).setCommunication(Communication.newBuilder()
                .setUserId("u-1").setDirection(Direction.DIRECTION_INBOUND).setChannel(Channel.CHANNEL_EMAIL)
                .setSentiment(Sentiment.SENTIMENT_POSITIVE)).build();
    }

    public static Event salesAssistance(String eventId, String accountId) {
        return base(eventId, accountId).setSalesAssistanceRequested(SalesAssistanceRequested.newBuilder()
                .setUserId("u-1").setNote("please call me")).build();
    }

    public static Event planLimit(String eventId, String accountId) {
        return base(eventId, accountId).setPlanLimitReached(PlanLimitReached.newBuilder()
                .setLimit("seats").setUserId("u-1").setUsage(10).setLimitValue(10)).build();
    }

    public static Event outcome(String eventId, String accountId) {
        return base(eventId, accountId).setOutcome(Outcome.newBuilder()
                .setKind(OutcomeKind.OUTCOME_KIND_CONVERTED)
                .setAmount(Money.newBuilder().setAmountMicros(12_000_000_000L).setCurrency("EUR"))
                .setSalesTouched(true)).build();
    }

    public static Event exchangeRate(String eventId, String base, String quote, String rate, String effectiveDate) {
        return base(eventId, "exchange-rates").setExchangeRate(pql.v1.ExchangeRate.newBuilder().setBase(base).setQuote(quote)
                .setRate(rate).setEffectiveDate(effectiveDate)).build();
    }
}
