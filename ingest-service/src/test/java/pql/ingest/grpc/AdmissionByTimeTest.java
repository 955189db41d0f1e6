package pql.ingest.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.rpc.RetryInfo;
import io.dropwizard.util.Duration;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.common.grpc.GrpcErrors;
import pql.common.telemetry.Telemetry;
import pql.ingest.IngestSettings;
import pql.ingest.support.GatedEventStore;
import pql.ingest.support.IngestHarness;
import pql.ingest.support.StreamClient;
import pql.ingest.support.TestEvents;
import pql.v1.EventResult;
import pql.v1.IngestBatchRequest;
import pql.v1.IngestBatchResponse;
import pql.v1.IngestEventRequest;
import pql.v1.IngestEventResponse;
import pql.v1.IngestServiceGrpc;
import pql.v1.IngestStreamRequest;

/**
 * Admission by time (issue #13, finding 7): with the store held behind a gate the budget stays
 * full; a call waits for room at most {@code maxAdmissionWait}, then is refused with
 * RESOURCE_EXHAUSTED, ErrorInfo INGEST_OVERLOADED and RetryInfo, and nothing of it is stored; a
 * call whose room frees within the wait is accepted.
 */
class AdmissionByTimeTest {

    private static final long WAIT_MILLIS = 300;

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

    private void start(long maxEvents, long waitMillis) {
        IngestSettings settings = new IngestSettings().setMaxInFlightEvents((int) maxEvents)
                .setMaxAdmissionWait(Duration.milliseconds(waitMillis));
        harness = IngestHarness.start(directory, settings, Telemetry.noop(), store -> gate = new GatedEventStore(store));
    }

    /** A batch of {@code count} events that fills the budget and stays in flight while the gate is closed. */
    private ListenableFuture<IngestBatchResponse> fillTheBudget(int count) throws InterruptedException {
        gate.closeGate();
        ListenableFuture<IngestBatchResponse> held = IngestServiceGrpc.newFutureStub(harness.blocking().getChannel())
                .ingestBatch(batch("held", count));
        for (int i = 0; i < 1_000 && gate.heldAppends() < 1; i++) {
            Thread.sleep(10);
        }
        assertThat(gate.heldAppends()).isEqualTo(1);
        return held;
    }

    @Test
    void aBatchThatFindsNoRoomWaitsTheAdmissionWaitThenIsRefusedWithRetryInfoAndNothingStored() throws Exception {
        start(10, WAIT_MILLIS);
        ListenableFuture<IngestBatchResponse> held = fillTheBudget(10);

        long started = System.nanoTime();
        Throwable refused = catchThrowable(() -> harness.blocking().ingestBatch(batch("late", 3)));
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertOverloadedWithRetryInfo(refused);
        assertThat(waitedMillis).as("it waited for room before being refused").isGreaterThanOrEqualTo(WAIT_MILLIS);

        gate.openGate();
        assertThat(held.get(10, TimeUnit.SECONDS).getAccepted()).isEqualTo(10);
        assertThat(harness.storedEvents()).extracting(e -> e.envelope().getEventId()).allMatch(id -> id.startsWith("held-"));
        assertThat(harness.module().metrics().meter("calls.refused.overloaded").getCount()).isEqualTo(1);
        // the same ids, retried once there is room, are stored
        assertThat(harness.blocking().ingestBatch(batch("late", 3)).getAccepted()).isEqualTo(3);
    }

    @Test
    void aSingleEventIsRefusedTheSameWay() throws Exception {
        start(10, WAIT_MILLIS);
        fillTheBudget(10);

        Throwable refused = catchThrowable(() -> harness.blocking().ingestEvent(
                IngestEventRequest.newBuilder().setEvent(TestEvents.productAction("one", "acme")).build()));

        assertOverloadedWithRetryInfo(refused);
        assertThat(harness.head()).isZero();
    }

    @Test
    void aCallWhoseRoomFreesWithinTheWaitIsAcceptedNotRefused() throws Exception {
        start(10, 30_000);
        ListenableFuture<IngestBatchResponse> held = fillTheBudget(10);

        ListenableFuture<IngestEventResponse> waiting = IngestServiceGrpc.newFutureStub(harness.blocking().getChannel())
                .ingestEvent(IngestEventRequest.newBuilder().setEvent(TestEvents.productAction("patient", "acme")).build());
        Thread.sleep(300);
        assertThat(waiting.isDone()).as("waiting for room, not refused at once").isFalse();
        assertThat(gate.heldAppends()).as("and not handed to the store").isEqualTo(1);

        gate.openGate();

        assertThat(held.get(10, TimeUnit.SECONDS).getAccepted()).isEqualTo(10);
        assertThat(waiting.get(10, TimeUnit.SECONDS).getResult().getStatus()).isEqualTo(EventResult.Status.STATUS_ACCEPTED);
        assertThat(harness.storedEvents()).extracting(e -> e.envelope().getEventId()).contains("patient");
    }

    @Test
    void aStreamChunkThatWaitedTooLongEndsTheStreamWithRetryInfoAfterTheAnswersBeforeIt() throws Exception {
        // 10 events in flight from the first chunk; the second (145) does not fit beside them
        start(150, WAIT_MILLIS);
        gate.closeGate();
        List<IngestStreamRequest> chunks = List.of(chunk(1, "s1", 10), chunk(2, "s2", 145), chunk(3, "s3", 5));

        StreamClient client = StreamClient.run(harness.async(), chunks);
        for (int i = 0; i < 1_000 && harness.module().metrics().meter("calls.refused.overloaded").getCount() < 1; i++) {
            Thread.sleep(10);
        }
        assertThat(harness.module().metrics().meter("calls.refused.overloaded").getCount()).isEqualTo(1);
        gate.openGate();

        assertThat(client.awaitEnd().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertOverloadedWithRetryInfo(client.error());
        assertThat(client.responses()).hasSize(1);
        assertThat(client.responses().get(0).getSequence()).isEqualTo(1);
        assertThat(client.responses().get(0).getAccepted()).isEqualTo(10);
        assertThat(harness.storedEvents()).extracting(e -> e.envelope().getEventId()).allMatch(id -> id.startsWith("s1-"));
        assertThat(harness.module().useCase().budget().eventsInFlight()).isZero();
    }

    private static void assertOverloadedWithRetryInfo(Throwable refused) {
        assertThat(refused).isInstanceOfSatisfying(StatusRuntimeException.class,
                error -> assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
        assertThat(GrpcErrors.errorInfoOf(refused)).hasValueSatisfying(info -> {
            assertThat(info.getReason()).isEqualTo(IngestStatuses.INGEST_OVERLOADED);
            assertThat(info.getDomain()).isEqualTo(GrpcErrors.DOMAIN);
        });
        RetryInfo retry = GrpcErrors.retryInfoOf(refused).orElseThrow(() -> new AssertionError("no RetryInfo in " + refused));
        long delayMillis = retry.getRetryDelay().getSeconds() * 1_000 + retry.getRetryDelay().getNanos() / 1_000_000;
        assertThat(delayMillis).isBetween(100L, 10_000L);
        assertThat(refused.getMessage()).contains("retry with the same event ids");
    }

    private static Throwable catchThrowable(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        try {
            call.call();
        } catch (Throwable thrown) {
            return thrown;
        }
        throw new AssertionError("the call was not refused");
    }

    private static IngestBatchRequest batch(String prefix, int count) {
        return IngestBatchRequest.newBuilder()
                .addAllEvents(IntStream.range(0, count).mapToObj(i -> TestEvents.productAction(prefix + "-" + i, "acme")).toList())
                .build();
    }

    private static IngestStreamRequest chunk(long sequence, String prefix, int count) {
        return IngestStreamRequest.newBuilder().setSequence(sequence)
                .addAllEvents(IntStream.range(0, count).mapToObj(i -> TestEvents.productAction(prefix + "-" + i, "acme")).toList())
                .build();
    }
}
