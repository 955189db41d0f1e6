package pql.ingest.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import pql.ingest.ops.IngestMeters;
import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pql.common.telemetry.Telemetry;
import pql.eventstore.EventStoreOverloadedException;
import pql.eventstore.StoredEvent;
import pql.ingest.IngestSettings;
import pql.ingest.support.GatedEventStore;
import pql.ingest.support.IngestHarness;
import pql.ingest.support.TestEvents;
import pql.v1.Event;
import pql.v1.EventEnvelope;
import pql.v1.EventResult;
import pql.v1.IngestBatchRequest;
import pql.v1.IngestBatchResponse;
import pql.v1.IngestEventRequest;
import pql.v1.IngestServiceGrpc;

/** IngestEvent and IngestBatch over a real embedded store. */
class IngestCallsTest {

    @TempDir
    Path directory;
    IngestHarness harness;
    GatedEventStore gate;

    @AfterEach
    void stop() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    private IngestHarness start() {
        return start(new IngestSettings());
    }

    private IngestHarness start(IngestSettings settings) {
        harness = IngestHarness.start(directory, settings, Telemetry.noop(), store -> gate = new GatedEventStore(store));
        return harness;
    }

    @Test
    void anAcceptedEventIsStoredInItsAccountStreamAsAnEnvelope() {
        start();
        Event event = TestEvents.productAction("evt-1", "acme");

        EventResult result = harness.blocking().ingestEvent(request(event)).getResult();

        assertThat(result.getStatus()).isEqualTo(EventResult.Status.STATUS_ACCEPTED);
        assertThat(result.getEventId()).isEqualTo("evt-1");
        assertThat(result.getIndex()).isZero();
        assertThat(result.getStreamVersion()).isZero();
        List<StoredEvent> stored = harness.store().readStream("account-acme", 0, 10);
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).globalPosition()).isEqualTo(result.getGlobalPosition());
        EventEnvelope envelope = stored.get(0).envelope();
        assertThat(envelope.getEventId()).isEqualTo("evt-1");
        assertThat(envelope.getAccountId()).isEqualTo("acme");
        assertThat(envelope.getType()).isEqualTo("pql.v1.ProductAction");
        assertThat(envelope.getPayload()).isEqualTo(event.getProductAction().toByteString());
        assertThat(envelope.getOccurredAt()).isEqualTo(event.getOccurredAt());
        assertThat(envelope.getRecordedAt()).isEqualTo(TestEvents.timestamp(TestEvents.NOW));
        assertThat(envelope.getSchemaRevision()).isEqualTo(1);
    }

    @Test
    void anExchangeRateIsStoredInTheRatesStreamWhateverItsAccountId() {
        start();
        Event rate = TestEvents.exchangeRate("rate:2026-03-01:EUR:USD:1.08", "EUR", "USD", "1.08", "2026-03-01");

        EventResult result = harness.blocking().ingestEvent(request(rate)).getResult();

        assertThat(result.getStatus()).isEqualTo(EventResult.Status.STATUS_ACCEPTED);
        assertThat(harness.store().readStream("account-exchange-rates", 0, 10)).isEmpty();
        List<StoredEvent> stored = harness.store().readStream(pql.eventstore.StreamIds.EXCHANGE_RATES, 0, 10);
        assertThat(stored).singleElement().satisfies(event -> {
            assertThat(event.envelope().getType()).isEqualTo("pql.v1.ExchangeRate");
            assertThat(event.envelope().getPayload()).isEqualTo(rate.getExchangeRate().toByteString());
        });
        // the same rate sent again is a duplicate
        assertThat(harness.blocking().ingestEvent(request(rate)).getResult().getStatus())
                .isEqualTo(EventResult.Status.STATUS_DUPLICATE);
    }

    static Stream<Arguments> everyKind() {
        return Stream.of(
                Arguments.of(TestEvents.accountProfiled("k1", "acme"), "pql.v1.AccountProfiled"),
                Arguments.of(TestEvents.userIdentified("k2", "acme"), "pql.v1.UserIdentified"),
                Arguments.of(TestEvents.productAction("k3", "acme"), "pql.v1.ProductAction"),
                Arguments.of(TestEvents.communication("k4", "acme"), "pql.v1.Communication"),
                Arguments.of(TestEvents.salesAssistance("k5", "acme"), "pql.v1.SalesAssistanceRequested"),
                Arguments.of(TestEvents.planLimit("k6", "acme"), "pql.v1.PlanLimitReached"),
                Arguments.of(TestEvents.outcome("k7", "acme"), "pql.v1.Outcome"));
    }

    @ParameterizedTest
    @MethodSource("everyKind")
    void everyEventKindIsAcceptedAndStoredUnderItsTypeName(Event event, String type) throws Exception {
        start();

        harness.blocking().ingestEvent(request(event));

        EventEnvelope envelope = harness.store().readStream("account-acme", 0, 1).get(0).envelope();
        assertThat(envelope.getType()).isEqualTo(type);
        assertThat(envelope.getPayload()).isEqualTo(switch (event.getKindCase()) {
            case ACCOUNT_PROFILED -> event.getAccountProfiled().toByteString();
            case USER_IDENTIFIED -> event.getUserIdentified().toByteString();
            case PRODUCT_ACTION -> event.getProductAction().toByteString();
            case COMMUNICATION -> event.getCommunication().toByteString();
            case SALES_ASSISTANCE_REQUESTED -> event.getSalesAssistanceRequested().toByteString();
            case PLAN_LIMIT_REACHED -> event.getPlanLimitReached().toByteString();
            case OUTCOME -> event.getOutcome().toByteString();
            case EXCHANGE_RATE -> event.getExchangeRate().toByteString();
            case KIND_NOT_SET -> throw new AssertionError("no kind");
        });
    }

    @Test
    void sendingTheSameEventAgainIsADuplicateThatChangesNothing() {
        start();
        EventResult first = harness.blocking().ingestEvent(request(TestEvents.productAction("evt-1", "acme"))).getResult();
        long head = harness.head();

        // the same event again (a retry): the id is the idempotency key, forever; other data under it: EventIdReuseTest
        EventResult again = harness.blocking().ingestEvent(request(TestEvents.productAction("evt-1", "acme"))).getResult();

        assertThat(again.getStatus()).isEqualTo(EventResult.Status.STATUS_DUPLICATE);
        assertThat(again.getGlobalPosition()).isEqualTo(first.getGlobalPosition());
        assertThat(again.getStreamVersion()).isEqualTo(first.getStreamVersion());
        assertThat(harness.head()).isEqualTo(head);
    }

    @Test
    void theSameEventIdInAnotherAccountIsAnotherEvent() {
        start();
        harness.blocking().ingestEvent(request(TestEvents.productAction("evt-1", "acme")));

        EventResult other = harness.blocking().ingestEvent(request(TestEvents.productAction("evt-1", "globex"))).getResult();

        assertThat(other.getStatus()).isEqualTo(EventResult.Status.STATUS_ACCEPTED);
    }

    @Test
    void aBatchAnswersPerItemInOrderWithVersionsPerAccountStream() {
        start();
        List<Event> events = List.of(
                TestEvents.productAction("a1", "acme"),
                TestEvents.productAction("g1", "globex"),
                TestEvents.communication("a2", "acme"),
                TestEvents.userIdentified("g2", "globex"),
                TestEvents.outcome("a3", "acme"));

        IngestBatchResponse response = harness.blocking().ingestBatch(IngestBatchRequest.newBuilder().addAllEvents(events).build());

        assertThat(response.getAccepted()).isEqualTo(5);
        assertThat(response.getResultsList()).extracting(EventResult::getIndex).containsExactly(0, 1, 2, 3, 4);
        assertThat(response.getResultsList()).extracting(EventResult::getEventId).containsExactly("a1", "g1", "a2", "g2", "a3");
        assertThat(response.getResultsList()).extracting(EventResult::getStreamVersion).containsExactly(0L, 0L, 1L, 1L, 2L);
        assertThat(harness.store().readStream("account-acme", 0, 10)).extracting(e -> e.envelope().getEventId())
                .containsExactly("a1", "a2", "a3");
        assertThat(harness.store().readStream("account-globex", 0, 10)).extracting(e -> e.envelope().getEventId())
                .containsExactly("g1", "g2");
        for (EventResult result : response.getResultsList()) {
            assertThat(harness.storedEvents()).anySatisfy(stored -> {
                assertThat(stored.globalPosition()).isEqualTo(result.getGlobalPosition());
                assertThat(stored.envelope().getEventId()).isEqualTo(result.getEventId());
            });
        }
    }

    @Test
    void theSecondOfTwoEqualIdsInOneBatchIsADuplicateOfTheFirst() {
        start();

        IngestBatchResponse response = harness.blocking().ingestBatch(IngestBatchRequest.newBuilder()
                .addEvents(TestEvents.productAction("same", "acme"))
                .addEvents(TestEvents.productAction("other", "acme"))
                .addEvents(TestEvents.productAction("same", "acme")).build());

        assertThat(response.getResultsList()).extracting(EventResult::getStatus).containsExactly(
                EventResult.Status.STATUS_ACCEPTED, EventResult.Status.STATUS_ACCEPTED, EventResult.Status.STATUS_DUPLICATE);
        assertThat(response.getResults(2).getGlobalPosition()).isEqualTo(response.getResults(0).getGlobalPosition());
        assertThat(response.getDuplicates()).isEqualTo(1);
        assertThat(harness.store().readStream("account-acme", 0, 10)).hasSize(2);
    }

    @Test
    void aRetriedBatchIsANoOpForTheItemsAlreadyStored() {
        start();
        List<Event> firstHalf = IntStream.range(0, 50).mapToObj(i -> TestEvents.productAction("r-" + i, "acct-" + i % 7)).toList();
        List<Event> all = IntStream.range(0, 100).mapToObj(i -> TestEvents.productAction("r-" + i, "acct-" + i % 7)).toList();
        IngestBatchResponse first = harness.blocking().ingestBatch(IngestBatchRequest.newBuilder().addAllEvents(firstHalf).build());

        IngestBatchResponse retried = harness.blocking().ingestBatch(IngestBatchRequest.newBuilder().addAllEvents(all).build());
        long head = harness.head();
        IngestBatchResponse retriedAgain = harness.blocking().ingestBatch(IngestBatchRequest.newBuilder().addAllEvents(all).build());

        assertThat(retried.getDuplicates()).isEqualTo(50);
        assertThat(retried.getAccepted()).isEqualTo(50);
        for (int i = 0; i < 50; i++) {
            assertThat(retried.getResults(i).getStatus()).isEqualTo(EventResult.Status.STATUS_DUPLICATE);
            assertThat(retried.getResults(i).getGlobalPosition()).isEqualTo(first.getResults(i).getGlobalPosition());
        }
        assertThat(retriedAgain.getDuplicates()).isEqualTo(100);
        assertThat(harness.head()).isEqualTo(head);
        assertThat(harness.storedEvents()).hasSize(100);
    }

    @Test
    void aBatchOfOnlyBadItemsIsAnsweredWithoutTouchingTheStore() {
        start();

        IngestBatchResponse response = harness.blocking().ingestBatch(IngestBatchRequest.newBuilder()
                .addEvents(TestEvents.productAction("", "acme"))
                .addEvents(TestEvents.productAction("x", "")).build());

        assertThat(response.getRejected()).isEqualTo(2);
        assertThat(harness.head()).isZero();
    }

    @Test
    void withTheStoreDownEveryCallIsUnavailableAndNothingIsStored() {
        start();
        harness.blocking().ingestEvent(request(TestEvents.productAction("before", "acme")));
        long head = harness.head();
        harness.closeStore();

        assertStatus(() -> harness.blocking().ingestEvent(request(TestEvents.productAction("e1", "acme"))), Status.Code.UNAVAILABLE);
        assertStatus(() -> harness.blocking().ingestBatch(IngestBatchRequest.newBuilder()
                .addEvents(TestEvents.productAction("e2", "acme")).addEvents(TestEvents.productAction("e3", "globex")).build()),
                Status.Code.UNAVAILABLE);
        assertThat(harness.module().healthChecks().get("event-store").execute().isHealthy()).isFalse();

        assertThat(harness.reopenStore().headPosition()).isEqualTo(head);
        assertThat(harness.storedEvents()).extracting(e -> e.envelope().getEventId()).containsExactly("before");
    }

    @Test
    void whenTheStoreLagsAndTheBufferIsFullCallsAreRefusedAndNothingOfThemStored() throws Exception {
        start(new IngestSettings().setMaxInFlightEvents(10));
        gate.closeGate();
        IngestServiceGrpc.IngestServiceFutureStub async = IngestServiceGrpc.newFutureStub(harness.blocking().getChannel());
        ListenableFuture<IngestBatchResponse> waiting = async.ingestBatch(IngestBatchRequest.newBuilder()
                .addAllEvents(IntStream.range(0, 10).mapToObj(i -> TestEvents.productAction("w-" + i, "acme")).toList()).build());
        awaitHeld(1);

        assertStatus(() -> harness.blocking().ingestBatch(IngestBatchRequest.newBuilder()
                .addAllEvents(IntStream.range(0, 3).mapToObj(i -> TestEvents.productAction("x-" + i, "acme")).toList()).build()),
                Status.Code.RESOURCE_EXHAUSTED);
        assertStatus(() -> harness.blocking().ingestEvent(request(TestEvents.productAction("y", "acme")))
                .getResult().getStatus(), Status.Code.RESOURCE_EXHAUSTED);
        // still waiting for durability, so not acknowledged yet
        assertThat(waiting.isDone()).isFalse();
        assertThat(harness.head()).isZero();

        gate.openGate();
        assertThat(waiting.get(10, TimeUnit.SECONDS).getAccepted()).isEqualTo(10);
        assertThat(harness.storedEvents()).extracting(e -> e.envelope().getEventId()).allMatch(id -> id.startsWith("w-"));
        // room again once the store caught up
        assertThat(harness.blocking().ingestEvent(request(TestEvents.productAction("y", "acme"))).getResult().getStatus())
                .isEqualTo(EventResult.Status.STATUS_ACCEPTED);
        assertThat(harness.module().useCase().budget().eventsInFlight()).isZero();
    }

    @Test
    void whenTheStoreItselfIsOverloadedTheCallIsResourceExhausted() {
        start();
        gate.failAppendsWith(new EventStoreOverloadedException("write queue full"));

        assertStatus(() -> harness.blocking().ingestEvent(request(TestEvents.productAction("e", "acme"))),
                Status.Code.RESOURCE_EXHAUSTED);
        assertThat(harness.head()).isZero();
        assertThat(harness.module().useCase().budget().eventsInFlight()).isZero();
    }

    @Test
    void theAdminMetricsCountEventsByResultAndTimeAppends() {
        start();
        harness.blocking().ingestBatch(IngestBatchRequest.newBuilder()
                .addEvents(TestEvents.productAction("m1", "acme"))
                .addEvents(TestEvents.productAction("m1", "acme"))
                .addEvents(TestEvents.productAction("", "acme")).build());

        MetricRegistry metrics = harness.module().metrics();
        assertThat(metrics.meter("events.accepted").getCount()).isEqualTo(1);
        assertThat(metrics.meter("events.duplicate").getCount()).isEqualTo(1);
        assertThat(metrics.meter("events.rejected").getCount()).isEqualTo(1);
        assertThat(metrics.timer("store.append").getCount()).isEqualTo(1);
        assertThat(harness.module().healthChecks().get("event-store").execute().isHealthy()).isTrue();
    }

    @Test
    void rejectionsAreCountedByReason() {
        start();
        harness.blocking().ingestBatch(IngestBatchRequest.newBuilder()
                .addEvents(TestEvents.productAction("r1", "acme"))
                .addEvents(TestEvents.productAction("r2", "acme"))
                .addEvents(TestEvents.productAction("r3", "globex"))
                .addEvents(TestEvents.productAction("", "acme")).build());

        MetricRegistry metrics = harness.module().metrics();
        assertThat(metrics.meter("events.accepted").getCount()).isEqualTo(3);
        assertThat(metrics.meter("events.rejected").getCount()).isEqualTo(1);
        assertThat(metrics.getMeters().keySet()).filteredOn(name -> name.startsWith(IngestMeters.REJECTED_BY_REASON))
                .containsExactly(IngestMeters.REJECTED_BY_REASON + "invalid.event_id");
        assertThat(metrics.meter(IngestMeters.REJECTED_BY_REASON + "invalid.event_id").getCount()).isEqualTo(1);
    }

    private void awaitHeld(int appends) throws InterruptedException {
        for (int i = 0; i < 1_000 && gate.heldAppends() < appends; i++) {
            Thread.sleep(10);
        }
        assertThat(gate.heldAppends()).isEqualTo(appends);
    }

    private static IngestEventRequest request(Event event) {
        return IngestEventRequest.newBuilder().setEvent(event).build();
    }

    private static void assertStatus(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Status.Code code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class,
                error -> assertThat(error.getStatus().getCode()).isEqualTo(code));
    }
}
