package pql.ingest.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static pql.ingest.support.TestEvents.NOW;
import static pql.ingest.support.TestEvents.timestamp;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UnknownFieldSet;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import pql.common.grpc.GrpcErrors;
import pql.ingest.support.IngestHarness;
import pql.ingest.support.TestEvents;
import pql.v1.AccountProfiled;
import pql.v1.Communication;
import pql.v1.Event;
import pql.v1.EventResult;
import pql.v1.IngestBatchRequest;
import pql.v1.IngestBatchResponse;
import pql.v1.IngestEventRequest;
import pql.v1.Money;
import pql.v1.Outcome;
import pql.v1.OutcomeKind;
import pql.v1.PlanLimitReached;
import pql.v1.ProductAction;
import pql.v1.SalesAssistanceRequested;

/**
 * The table of bad inputs: each gets INVALID_ARGUMENT with the exact field path of its one
 * violation, and the store does not move. In a batch the bad item is REJECTED (path relative to
 * the item) while the good items around it are stored.
 */
class BadInputTest {

    @TempDir
    static Path directory;
    static IngestHarness harness;
    static final AtomicInteger ids = new AtomicInteger();

    @BeforeAll
    static void start() {
        harness = IngestHarness.start(directory);
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    record BadInput(String name, Event event, String field) {
        @Override
        public String toString() {
            return name + " -> " + field;
        }
    }

    static Stream<BadInput> badInputs() {
        Event action = TestEvents.productAction("bad-1", "acme");
        Event profile = TestEvents.accountProfiled("bad-2", "acme");
        Event user = TestEvents.userIdentified("bad-3", "acme");
        Event communication = TestEvents.communication("bad-4", "acme");
        Event assistance = TestEvents.salesAssistance("bad-5", "acme");
        Event limit = TestEvents.planLimit("bad-6", "acme");
        Event outcome = TestEvents.outcome("bad-7", "acme");
        return Stream.of(
                bad("missing event id", action.toBuilder().clearEventId().build(), "event_id"),
                bad("event id of 129 characters", action.toBuilder().setEventId("e".repeat(129)).build(), "event_id"),
                bad("event id with a space", action.toBuilder().setEventId("evt 1").build(), "event_id"),
                bad("missing account id", action.toBuilder().clearAccountId().build(), "account_id"),
                bad("account id with '#'", action.toBuilder().setAccountId("acme#1").build(), "account_id"),
                bad("account id of 129 characters", action.toBuilder().setAccountId("a".repeat(129)).build(), "account_id"),
                bad("missing occurred_at", action.toBuilder().clearOccurredAt().build(), "occurred_at"),
                bad("occurred_at in 1970", action.toBuilder().setOccurredAt(Timestamp.newBuilder().setSeconds(0)).build(),
                        "occurred_at"),
                bad("occurred_at on 1999-12-31", action.toBuilder()
                        .setOccurredAt(timestamp(Instant.parse("1999-12-31T23:59:59Z"))).build(), "occurred_at"),
                bad("occurred_at an hour ahead of the server", action.toBuilder()
                        .setOccurredAt(timestamp(NOW.plusSeconds(3600))).build(), "occurred_at"),
                bad("occurred_at with negative nanos", action.toBuilder()
                        .setOccurredAt(Timestamp.newBuilder().setSeconds(NOW.getEpochSecond() - 60).setNanos(-1)).build(),
                        "occurred_at"),
                bad("no kind", TestEvents.base("bad-8", "acme").build(), "kind"),
                bad("unknown kind (field 99 from a newer client)", TestEvents.base("bad-9", "acme")
                        .setUnknownFields(UnknownFieldSet.newBuilder().addField(99, UnknownFieldSet.Field.newBuilder()
                                .addLengthDelimited(ByteString.copyFromUtf8("new")).build()).build()).build(), "kind"),
                bad("product action without user", action(action, a -> a.clearUserId()), "product_action.user_id"),
                bad("product action without action", action(action, a -> a.clearAction()), "product_action.action"),
                bad("action name with a space", action(action, a -> a.setAction("sent message")), "product_action.action"),
                bad("action name of 129 characters", action(action, a -> a.setAction("a".repeat(129))),
                        "product_action.action"),
                bad("negative quantity", action(action, a -> a.setQuantity(-1)), "product_action.quantity"),
                bad("NaN quantity", action(action, a -> a.setQuantity(Double.NaN)), "product_action.quantity"),
                bad("infinite quantity", action(action, a -> a.setQuantity(Double.POSITIVE_INFINITY)),
                        "product_action.quantity"),
                bad("quantity 1e308 (issue #13: engagement became Infinity)", action(action, a -> a.setQuantity(1e308)),
                        "product_action.quantity"),
                bad("quantity just over 10^9", action(action, a -> a.setQuantity(1_000_000_000.5)), "product_action.quantity"),
                bad("65 properties", action(action, a -> {
                    IntStream.range(0, 65).forEach(i -> a.putProperties("k" + i, "v"));
                    return a;
                }), "product_action.properties"),
                bad("properties over 32 KiB", action(action, a -> a.putProperties("blob", "x".repeat(32 * 1024))),
                        "product_action.properties"),
                bad("property key of 129 characters", action(action, a -> a.putProperties("k".repeat(129), "v")),
                        "product_action.properties"),
                bad("account name of 201 characters", profile(profile, p -> p.setName("n".repeat(201))), "account_profiled.name"),
                bad("negative deal size", profile(profile, p -> p.setDealSize(Money.newBuilder().setAmountMicros(-1).setCurrency("USD"))),
                        "account_profiled.deal_size.amount_micros"),
                bad("deal size of the largest int64 (issue #13: the forecast overflowed)", profile(profile,
                        p -> p.setDealSize(Money.newBuilder().setAmountMicros(Long.MAX_VALUE).setCurrency("USD"))),
                        "account_profiled.deal_size.amount_micros"),
                bad("deal size one micro over 10^12 units", profile(profile, p -> p.setDealSize(Money.newBuilder()
                        .setAmountMicros(1_000_000_000_000_000_001L).setCurrency("USD"))), "account_profiled.deal_size.amount_micros"),
                bad("deal size carrying the server's exact_amount", profile(profile, p -> p.setDealSize(Money.newBuilder()
                        .setAmountMicros(1).setCurrency("USD").setExactAmount("99999999999999"))),
                        "account_profiled.deal_size.exact_amount"),
                bad("deal size in lower-case currency", profile(profile, p -> p.setDealSize(Money.newBuilder()
                        .setAmountMicros(1).setCurrency("usd"))), "account_profiled.deal_size.currency"),
                bad("owner of 201 characters", profile(profile, p -> p.setOwner("o".repeat(201))), "account_profiled.owner"),
                bad("trial ending before it starts", profile(profile, p -> p.setTrialEnd(timestamp(NOW.minusSeconds(86_400 * 10)))),
                        "account_profiled.trial_end"),
                bad("trial starting in 1999", profile(profile, p -> p.setTrialStart(timestamp(Instant.parse("1999-06-01T00:00:00Z")))),
                        "account_profiled.trial_start"),
                bad("unknown opportunity size 9", profile(profile, p -> p.setOpportunitySizeValue(9)),
                        "account_profiled.opportunity_size"),
                bad("65 traits", profile(profile, p -> {
                    IntStream.range(0, 65).forEach(i -> p.putTraits("t" + i, "v"));
                    return p;
                }), "account_profiled.traits"),
                bad("user identified without user", user.toBuilder().setUserIdentified(user.getUserIdentified().toBuilder()
                        .clearUserId()).build(), "user_identified.user_id"),
                bad("e-mail of 201 characters", user.toBuilder().setUserIdentified(user.getUserIdentified().toBuilder()
                        .setEmail("m".repeat(191) + "@x.example")).build(), "user_identified.email"),
                bad("user traits over 32 KiB", user.toBuilder().setUserIdentified(user.getUserIdentified().toBuilder()
                        .putTraits("bio", "é".repeat(17_000))).build(), "user_identified.traits"),
                bad("communication without direction", communication(communication, c -> c.clearDirection()),
                        "communication.direction"),
                bad("communication without channel", communication(communication, c -> c.clearChannel()),
                        "communication.channel"),
                bad("unknown sentiment 42", communication(communication, c -> c.setSentimentValue(42)),
                        "communication.sentiment"),
                bad("hand-raiser note of 2,001 characters", assistance.toBuilder().setSalesAssistanceRequested(
                        SalesAssistanceRequested.newBuilder().setNote("n".repeat(2_001))).build(),
                        "sales_assistance_requested.note"),
                bad("hand-raiser user id of 129 characters", assistance.toBuilder().setSalesAssistanceRequested(
                        SalesAssistanceRequested.newBuilder().setUserId("u".repeat(129))).build(),
                        "sales_assistance_requested.user_id"),
                bad("plan limit without its name", limit(limit, l -> l.clearLimit()), "plan_limit_reached.limit"),
                bad("negative plan usage", limit(limit, l -> l.setUsage(-3)), "plan_limit_reached.usage"),
                bad("NaN limit value", limit(limit, l -> l.setLimitValue(Double.NaN)), "plan_limit_reached.limit_value"),
                bad("plan usage 1e300", limit(limit, l -> l.setUsage(1e300)), "plan_limit_reached.usage"),
                bad("limit value over 10^15", limit(limit, l -> l.setLimitValue(2e15)), "plan_limit_reached.limit_value"),
                bad("outcome without kind", outcome(outcome, o -> o.clearKind()), "outcome.kind"),
                bad("conversion without amount", outcome(outcome, o -> o.clearAmount()), "outcome.amount"),
                bad("negative conversion amount", outcome(outcome, o -> o.setAmount(Money.newBuilder().setAmountMicros(-5)
                        .setCurrency("EUR"))), "outcome.amount.amount_micros"),
                bad("conversion amount one micro over 10^12 units", outcome(outcome, o -> o.setAmount(Money.newBuilder()
                        .setAmountMicros(1_000_000_000_000_000_001L).setCurrency("EUR"))), "outcome.amount.amount_micros"),
                bad("outcome reason of 2,001 characters", outcome(outcome, o -> o.setReason("r".repeat(2_001))),
                        "outcome.reason"));
    }

    @Test
    void theTableCoversAtLeast25BadInputs() {
        assertThat(badInputs().count()).isGreaterThanOrEqualTo(25);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void ingestEventRefusesWithTheFieldPathAndStoresNothing(BadInput bad) {
        long head = harness.head();

        assertThatThrownBy(() -> harness.blocking().ingestEvent(IngestEventRequest.newBuilder().setEvent(bad.event).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, error -> {
                    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(GrpcErrors.fieldViolations(error)).extracting(BadRequest.FieldViolation::getField)
                            .containsExactly("event." + bad.field);
                });
        assertThat(harness.head()).isEqualTo(head);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void inABatchTheBadItemIsRejectedAndTheGoodItemsAroundItAreStored(BadInput bad) {
        long head = harness.head();
        Event before = TestEvents.productAction("good-" + ids.incrementAndGet(), "acme");
        Event after = TestEvents.productAction("good-" + ids.incrementAndGet(), "globex");

        IngestBatchResponse response = harness.blocking().ingestBatch(IngestBatchRequest.newBuilder()
                .addEvents(before).addEvents(bad.event).addEvents(after).build());

        assertThat(response.getResultsList()).extracting(EventResult::getStatus).containsExactly(
                EventResult.Status.STATUS_ACCEPTED, EventResult.Status.STATUS_REJECTED, EventResult.Status.STATUS_ACCEPTED);
        EventResult rejected = response.getResults(1);
        assertThat(rejected.getIndex()).isEqualTo(1);
        assertThat(rejected.getError().getCode()).isEqualTo(Code.INVALID_ARGUMENT_VALUE);
        assertThat(GrpcErrors.badRequestOf(rejected.getError()).orElseThrow().getFieldViolationsList())
                .extracting(BadRequest.FieldViolation::getField).containsExactly(bad.field);
        assertThat(response.getAccepted()).isEqualTo(2);
        assertThat(response.getRejected()).isEqualTo(1);
        assertThat(harness.head()).isEqualTo(head + 2);
        assertThat(harness.storedEvents()).extracting(e -> e.envelope().getEventId())
                .contains(before.getEventId(), after.getEventId());
    }

    static Stream<BadInput> badBatches() {
        Event good = TestEvents.productAction("batch-good", "acme");
        Event big = TestEvents.productAction("big", "acme").toBuilder().setProductAction(ProductAction.newBuilder()
                .setUserId("u").setAction("upload").putProperties("blob", "x".repeat(30_000))).build();
        return Stream.of(
                new BadInput("empty batch", null, "events"),
                new BadInput("2,001 events", good, "events"),
                new BadInput("over 1 MiB", big, "events"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBatches")
    void aBatchThatIsEmptyTooLongOrTooBigIsRefusedWhole(BadInput bad) {
        IngestBatchRequest.Builder request = IngestBatchRequest.newBuilder();
        if (bad.name.equals("2,001 events")) {
            IntStream.range(0, 2_001).forEach(i -> request.addEvents(bad.event.toBuilder().setEventId("b-" + i)));
        } else if (bad.name.equals("over 1 MiB")) {
            // 36 events of ~30 KB each, every one valid on its own
            IntStream.range(0, 36).forEach(i -> request.addEvents(bad.event.toBuilder().setEventId("big-" + i)));
        }
        long head = harness.head();

        assertThatThrownBy(() -> harness.blocking().ingestBatch(request.build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, error -> {
                    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(GrpcErrors.fieldViolations(error)).extracting(BadRequest.FieldViolation::getField)
                            .containsExactly(bad.field);
                });
        assertThat(harness.head()).isEqualTo(head);
    }

    @Test
    void ingestEventWithoutAnEventNamesTheField() {
        assertThatThrownBy(() -> harness.blocking().ingestEvent(IngestEventRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, error -> {
                    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(GrpcErrors.fieldViolations(error)).extracting(BadRequest.FieldViolation::getField)
                            .containsExactly("event");
                });
    }

    @Test
    void everyViolationOfOneEventIsReportedWithItsUnaryPath() {
        Event event = Event.newBuilder().setAccountId("acme").setOccurredAt(timestamp(NOW))
                .setOutcome(Outcome.newBuilder().setKind(OutcomeKind.OUTCOME_KIND_CONVERTED)).build();

        assertThatThrownBy(() -> harness.blocking().ingestEvent(IngestEventRequest.newBuilder().setEvent(event).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, error -> assertThat(GrpcErrors.fieldViolations(error))
                        .extracting(BadRequest.FieldViolation::getField)
                        .containsExactly("event.event_id", "event.outcome.amount"));
    }

    private static BadInput bad(String name, Event event, String field) {
        return new BadInput(name, event, field);
    }

    private static Event action(Event event, UnaryOperator<ProductAction.Builder> change) {
        return event.toBuilder().setProductAction(change.apply(event.getProductAction().toBuilder())).build();
    }

    private static Event profile(Event event, UnaryOperator<AccountProfiled.Builder> change) {
        return event.toBuilder().setAccountProfiled(change.apply(event.getAccountProfiled().toBuilder())).build();
    }

    private static Event communication(Event event, UnaryOperator<Communication.Builder> change) {
        return event.toBuilder().setCommunication(change.apply(event.getCommunication().toBuilder())).build();
    }

    private static Event limit(Event event, UnaryOperator<PlanLimitReached.Builder> change) {
        return event.toBuilder().setPlanLimitReached(change.apply(event.getPlanLimitReached().toBuilder())).build();
    }

    private static Event outcome(Event event, UnaryOperator<Outcome.Builder> change) {
        return event.toBuilder().setOutcome(change.apply(event.getOutcome().toBuilder())).build();
    }

}
