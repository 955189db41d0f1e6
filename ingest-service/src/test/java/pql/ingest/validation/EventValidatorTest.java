package pql.ingest.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static pql.ingest.support.TestEvents.NOW;
import static pql.ingest.support.TestEvents.timestamp;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import pql.ingest.support.TestEvents;
import pql.v1.Communication;
import pql.v1.Event;
import pql.v1.Money;
import pql.v1.Outcome;
import pql.v1.OutcomeKind;
import pql.v1.ProductAction;

class EventValidatorTest {

    private final EventValidator validator = new EventValidator(TestEvents.CLOCK);

    static Stream<Event> everyKind() {
        return Stream.of(
                TestEvents.accountProfiled("e1", "acme"),
                TestEvents.userIdentified("e2", "acme"),
                TestEvents.productAction("e3", "acme"),
                TestEvents.communication("e4", "acme"),
                TestEvents.salesAssistance("e5", "acme"),
                TestEvents.planLimit("e6", "acme"),
                TestEvents.outcome("e7", "acme"),
                TestEvents.exchangeRate("e8", "EUR", "USD", "1.08", "2026-03-01"));
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> badExchangeRates() {
        return Stream.of(
                org.junit.jupiter.params.provider.Arguments.of("eur", "USD", "1.08", "2026-03-01", "exchange_rate.base"),
                org.junit.jupiter.params.provider.Arguments.of("EUR", "", "1.08", "2026-03-01", "exchange_rate.quote"),
                org.junit.jupiter.params.provider.Arguments.of("EUR", "EUR", "1.08", "2026-03-01", "exchange_rate.quote"),
                org.junit.jupiter.params.provider.Arguments.of("EUR", "USD", "0", "2026-03-01", "exchange_rate.rate"),
                org.junit.jupiter.params.provider.Arguments.of("EUR", "USD", "-1.08", "2026-03-01", "exchange_rate.rate"),
                org.junit.jupiter.params.provider.Arguments.of("EUR", "USD", "NaN", "2026-03-01", "exchange_rate.rate"),
                org.junit.jupiter.params.provider.Arguments.of("EUR", "USD", "1e3", "2026-03-01", "exchange_rate.rate"),
                org.junit.jupiter.params.provider.Arguments.of("EUR", "USD", "1000000.000000000001", "2026-03-01", "exchange_rate.rate"),
                org.junit.jupiter.params.provider.Arguments.of("EUR", "USD", "1.0000000000001", "2026-03-01", "exchange_rate.rate"),
                org.junit.jupiter.params.provider.Arguments.of("EUR", "USD", "1.08", "2026-02-30", "exchange_rate.effective_date"),
                org.junit.jupiter.params.provider.Arguments.of("EUR", "USD", "1.08", "1999-12-31", "exchange_rate.effective_date"),
                org.junit.jupiter.params.provider.Arguments.of("EUR", "USD", "1.08", "", "exchange_rate.effective_date"));
    }

    @ParameterizedTest
    @MethodSource("badExchangeRates")
    void anExchangeRateOutsideItsDocumentedBoundsIsRejectedAtItsField(String base, String quote, String rate, String date,
            String field) {
        assertThat(validator.validate(TestEvents.exchangeRate("r1", base, quote, rate, date)))
                .extracting(Violation::field).containsExactly(field);
    }

    @Test
    void anExchangeRateAtItsBoundsPasses() {
        assertThat(validator.validate(TestEvents.exchangeRate("r1", "USD", "VND", "1000000", "2000-01-01"))).isEmpty();
        assertThat(validator.validate(TestEvents.exchangeRate("r2", "VND", "USD", "0.000000000001", "9999-12-31"))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("everyKind")
    void aWellFormedEventOfEveryKindPasses(Event event) {
        assertThat(validator.validate(event)).isEmpty();
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsPath() {
        Event event = Event.newBuilder()
                .setProductAction(ProductAction.newBuilder().setAction("bad action").setQuantity(-1))
                .build();

        assertThat(validator.validate(event)).extracting(Violation::field).containsExactly(
                "event_id", "account_id", "occurred_at", "product_action.user_id", "product_action.action",
                "product_action.quantity");
    }

    @Test
    void idsAllowTheDocumentedPunctuation() {
        Event event = TestEvents.productAction("evt:2026/03.01_a-b@c", "org/acme:eu.1_x-y@z");
        assertThat(validator.validate(event)).isEmpty();
    }

    @Test
    void anIdOfExactly128CharactersPassesAnd129DoesNot() {
        assertThat(validator.validate(TestEvents.productAction("e".repeat(128), "acme"))).isEmpty();
        assertThat(validator.validate(TestEvents.productAction("e".repeat(129), "acme")))
                .extracting(Violation::field).containsExactly("event_id");
    }

    @Test
    void occurredAtMayBeFiveMinutesAheadOfTheServerButNotMore() {
        Event atLimit = TestEvents.productAction("e1", "acme").toBuilder().setOccurredAt(timestamp(NOW.plusSeconds(300))).build();
        Event past = atLimit.toBuilder().setOccurredAt(timestamp(NOW.plusSeconds(300).plusNanos(1))).build();

        assertThat(validator.validate(atLimit)).isEmpty();
        assertThat(validator.validate(past)).extracting(Violation::field).containsExactly("occurred_at");
    }

    @Test
    void occurredAtOnTheFirstInstantOf2000PassesAndJustBeforeDoesNot() {
        Event first = TestEvents.productAction("e1", "acme").toBuilder()
                .setOccurredAt(timestamp(java.time.Instant.parse("2000-01-01T00:00:00Z"))).build();
        Event before = first.toBuilder().setOccurredAt(timestamp(java.time.Instant.parse("1999-12-31T23:59:59Z"))).build();

        assertThat(validator.validate(first)).isEmpty();
        assertThat(validator.validate(before)).extracting(Violation::field).containsExactly("occurred_at");
    }

    @Test
    void theServerClockDecidesWhatIsTheFuture() {
        Event event = TestEvents.productAction("e1", "acme").toBuilder().setOccurredAt(timestamp(NOW.plusSeconds(3600))).build();

        assertThat(validator.validate(event, NOW)).isNotEmpty();
        assertThat(validator.validate(event, NOW.plusSeconds(3600))).isEmpty();
    }

    @Test
    void aKindFromANewerClientIsNamedUnknown() {
        Event event = TestEvents.base("e1", "acme").setUnknownFields(UnknownFieldSet.newBuilder()
                .addField(99, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8("x")).build())
                .build()).build();

        List<Violation> violations = validator.validate(event);

        assertThat(violations).extracting(Violation::field).containsExactly("kind");
        assertThat(violations.get(0).description()).contains("unknown event kind").contains("99");
    }

    @Test
    void quantityDefaultsWhenAbsentAndMayBeZero() {
        Event absent = TestEvents.base("e1", "acme").setProductAction(ProductAction.newBuilder().setUserId("u").setAction("a")).build();
        Event zero = TestEvents.base("e1", "acme").setProductAction(ProductAction.newBuilder().setUserId("u").setAction("a")
                .setQuantity(0)).build();

        assertThat(validator.validate(absent)).isEmpty();
        assertThat(validator.validate(zero)).isEmpty();
    }

    @Test
    void propertiesAreMeasuredInUtf8BytesOfKeysAndValues() {
        // 16,000 characters of "é" are 32,000 bytes: with the key, just under 32 KiB
        ProductAction.Builder fits = ProductAction.newBuilder().setUserId("u").setAction("a")
                .putProperties("k", "é".repeat(16_000));
        ProductAction.Builder over = fits.clone().putProperties("k2", "x".repeat(800));

        assertThat(validator.validate(TestEvents.base("e1", "acme").setProductAction(fits).build())).isEmpty();
        assertThat(validator.validate(TestEvents.base("e1", "acme").setProductAction(over).build()))
                .extracting(Violation::field).containsExactly("product_action.properties");
    }

    @Test
    void namesCountCharactersNotBytes() {
        Event event = TestEvents.accountProfiled("e1", "acme");
        Event twoHundredAccents = event.toBuilder().setAccountProfiled(event.getAccountProfiled().toBuilder()
                .setName("é".repeat(200))).build();

        assertThat(validator.validate(twoHundredAccents)).isEmpty();
    }

    @Test
    void aConvertedOutcomeNeedsItsAmountButALostOneDoesNot() {
        Event converted = TestEvents.base("e1", "acme").setOutcome(Outcome.newBuilder().setKind(OutcomeKind.OUTCOME_KIND_CONVERTED)).build();
        Event lost = TestEvents.base("e1", "acme").setOutcome(Outcome.newBuilder().setKind(OutcomeKind.OUTCOME_KIND_LOST)).build();

        assertThat(validator.validate(converted)).extracting(Violation::field).containsExactly("outcome.amount");
        assertThat(validator.validate(lost)).isEmpty();
    }

    @Test
    void moneyMayReachTenToTheTwelveUnitsButNotOneMicroMore() {
        Event atLimit = profileWithDeal(1_000_000_000_000_000_000L);
        Event over = profileWithDeal(1_000_000_000_000_000_001L);

        assertThat(validator.validate(atLimit)).isEmpty();
        assertThat(validator.validate(over)).extracting(Violation::field).containsExactly("account_profiled.deal_size.amount_micros");
        assertThat(validator.validate(TestEvents.outcome("o", "acme").toBuilder().setOutcome(Outcome.newBuilder()
                .setKind(OutcomeKind.OUTCOME_KIND_CONVERTED).setAmount(Money.newBuilder().setAmountMicros(Long.MAX_VALUE)
                        .setCurrency("USD"))).build())).extracting(Violation::field).containsExactly("outcome.amount.amount_micros");
    }

    @Test
    void quantitiesAndPlanUsageStayWithinTheirDocumentedBounds() {
        Event action = TestEvents.productAction("q", "acme");
        Event limit = TestEvents.planLimit("l", "acme");

        assertThat(validator.validate(action.toBuilder().setProductAction(action.getProductAction().toBuilder()
                .setQuantity(1e9)).build())).isEmpty();
        assertThat(validator.validate(action.toBuilder().setProductAction(action.getProductAction().toBuilder()
                .setQuantity(Math.nextUp(1e9))).build())).extracting(Violation::field).containsExactly("product_action.quantity");
        assertThat(validator.validate(limit.toBuilder().setPlanLimitReached(limit.getPlanLimitReached().toBuilder()
                .setUsage(1e15).setLimitValue(1e15)).build())).isEmpty();
        assertThat(validator.validate(limit.toBuilder().setPlanLimitReached(limit.getPlanLimitReached().toBuilder()
                .setUsage(Math.nextUp(1e15)).setLimitValue(Double.MAX_VALUE)).build())).extracting(Violation::field)
                .containsExactly("plan_limit_reached.usage", "plan_limit_reached.limit_value");
    }

    @Test
    void aFieldSentWithTheWrongWireTypeIsNamedOnce() {
        // quantity (a double, field 3) and occurred_at (a message) written as varints: protobuf keeps them as unknown fields
        Event action = TestEvents.productAction("w", "acme");
        Event event = action.toBuilder().clearOccurredAt()
                .setUnknownFields(UnknownFieldSet.newBuilder().addField(3, UnknownFieldSet.Field.newBuilder().addVarint(1).build()).build())
                .setProductAction(action.getProductAction().toBuilder().clearQuantity().setUnknownFields(UnknownFieldSet
                        .newBuilder().addField(3, UnknownFieldSet.Field.newBuilder().addVarint(5).build()).build()))
                .build();

        assertThat(validator.validate(event)).extracting(Violation::field)
                .containsExactly("occurred_at", "product_action.quantity");
    }

    @Test
    void anEventMayNotCarryTheServersExactAmount() {
        Event profile = TestEvents.accountProfiled("x", "acme");
        Event event = profile.toBuilder().setAccountProfiled(profile.getAccountProfiled().toBuilder()
                .setDealSize(profile.getAccountProfiled().getDealSize().toBuilder().setExactAmount("12.5"))).build();

        assertThat(validator.validate(event)).extracting(Violation::field).containsExactly("account_profiled.deal_size.exact_amount");
    }

    private static Event profileWithDeal(long micros) {
        Event profile = TestEvents.accountProfiled("p", "acme");
        return profile.toBuilder().setAccountProfiled(profile.getAccountProfiled().toBuilder()
                .setDealSize(Money.newBuilder().setAmountMicros(micros).setCurrency("USD"))).build();
    }

    @Test
    void aZeroDealIsAllowedButItsCurrencyIsNot() {
        Event event = TestEvents.accountProfiled("e1", "acme");
        Event zero = event.toBuilder().setAccountProfiled(event.getAccountProfiled().toBuilder()
                .setDealSize(Money.newBuilder().setAmountMicros(0).setCurrency("USD"))).build();
        Event noCurrency = event.toBuilder().setAccountProfiled(event.getAccountProfiled().toBuilder()
                .setDealSize(Money.newBuilder().setAmountMicros(5))).build();

        assertThat(validator.validate(zero)).isEmpty();
        assertThat(validator.validate(noCurrency)).extracting(Violation::field).containsExactly("account_profiled.deal_size.currency");
    }

    @Test
    void aCommunicationMayLeaveSentimentUnknownButNotDirectionOrChannel() {
        Event event = TestEvents.base("e1", "acme").setCommunication(Communication.newBuilder()).build();

        assertThat(validator.validate(event)).extracting(Violation::field)
                .containsExactly("communication.direction", "communication.channel");
    }

    @Test
    void userIdsMayNotCarryControlCharacters() {
        Event event = TestEvents.base("e1", "acme").setProductAction(ProductAction.newBuilder()
                .setUserId("ann\nbob").setAction("a")).build();

        assertThat(validator.validate(event)).extracting(Violation::field).containsExactly("product_action.user_id");
    }

    @Test
    void errorsDoNotEchoLongClientValues() {
        Event event = TestEvents.base("e1", "acme").setOutcome(Outcome.newBuilder().setKind(OutcomeKind.OUTCOME_KIND_CONVERTED)
                .setAmount(Money.newBuilder().setCurrency("x".repeat(10_000)))).build();

        assertThat(validator.validate(event).get(0).description()).hasSizeLessThan(200);
    }
}
