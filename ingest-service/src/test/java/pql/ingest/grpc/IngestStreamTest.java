package pql.ingest.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.common.grpc.GrpcErrors;
import pql.common.telemetry.Telemetry;
import pql.eventstore.StoredEvent;
import pql.ingest.IngestSettings;
import pql.ingest.support.GatedEventStore;
import pql.ingest.support.IngestHarness;
import pql.ingest.support.StreamClient;
import pql.ingest.support.TestEvents;
import pql.v1.Event;
import pql.v1.EventResult;
import pql.v1.IngestStreamRequest;
import pql.v1.IngestStreamResponse;

/** IngestStream: ordered durable answers, flow control, and a store that dies mid-stream. */
class IngestStreamTest {

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

    private void start(IngestSettings settings) {
        harness = IngestHarness.start(directory, settings, Telemetry.noop(), store -> gate = new GatedEventStore(store));
    }

    @Test
    void everyChunkIsAnsweredInOrderOnceItsEventsAreDurable() throws Exception {
        start(new IngestSettings());
        List<IngestStreamRequest> chunks = chunks("s", 20, 100, 13);

        StreamClient client = StreamClient.run(harness.async(), chunks);

        assertThat(client.awaitEnd().getCode()).isEqualTo(Status.Code.OK);
        assertThat(client.responses()).extracting(IngestStreamResponse::getSequence)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 20).mapToObj(Long::valueOf).toList());
        assertThat(client.responses()).allSatisfy(response -> {
            assertThat(response.getAccepted()).isEqualTo(100);
            assertThat(response.getResultsList()).extracting(EventResult::getIndex)
                    .containsExactlyElementsOf(IntStream.range(0, 100).boxed().toList());
        });
        List<StoredEvent> stored = harness.storedEvents();
        assertThat(stored).hasSize(2_000);
        Map<String, Long> positions = new HashMap<>();
        stored.forEach(event -> positions.put(event.envelope().getEventId(), event.globalPosition()));
        for (IngestStreamResponse response : client.responses()) {
            for (EventResult result : response.getResultsList()) {
                assertThat(positions.get(result.getEventId())).isEqualTo(result.getGlobalPosition());
            }
        }
    }

    @Test
    void aChunkAnswersEachItemAcceptedDuplicateOrRejected() throws Exception {
        start(new IngestSettings());
        IngestStreamRequest first = IngestStreamRequest.newBuilder().setSequence(7)
                .addEvents(TestEvents.productAction("d1", "acme")).build();
        IngestStreamRequest second = IngestStreamRequest.newBuilder().setSequence(8)
                .addEvents(TestEvents.productAction("d1", "acme"))
                .addEvents(TestEvents.productAction("d2", "acme").toBuilder().clearOccurredAt().build())
                .addEvents(TestEvents.productAction("d3", "acme")).build();

        StreamClient client = StreamClient.run(harness.async(), List.of(first, second));

        assertThat(client.awaitEnd().getCode()).isEqualTo(Status.Code.OK);
        IngestStreamResponse answer = client.responses().get(1);
        assertThat(answer.getSequence()).isEqualTo(8);
        assertThat(answer.getResultsList()).extracting(EventResult::getStatus).containsExactly(
                EventResult.Status.STATUS_DUPLICATE, EventResult.Status.STATUS_REJECTED, EventResult.Status.STATUS_ACCEPTED);
        assertThat(GrpcErrors.badRequestOf(answer.getResults(1).getError()).orElseThrow().getFieldViolationsList())
                .extracting(BadRequest.FieldViolation::getField).containsExactly("occurred_at");
        assertThat(List.of(answer.getAccepted(), answer.getDuplicates(), answer.getRejected())).containsExactly(1, 1, 1);
        assertThat(harness.storedEvents()).hasSize(2);
    }

    @Test
    void anEmptyChunkEndsTheStreamWithInvalidArgumentAfterTheChunksBeforeIt() throws Exception {
        start(new IngestSettings());
        List<IngestStreamRequest> chunks = new ArrayList<>(chunks("v", 3, 10, 2));
        chunks.add(IngestStreamRequest.newBuilder().setSequence(4).build());
        chunks.addAll(chunks("w", 2, 10, 2));

        StreamClient client = StreamClient.run(harness.async(), chunks);

        Status status = client.awaitEnd();
        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(client.responses()).extracting(IngestStreamResponse::getSequence).containsExactly(1L, 2L, 3L);
        assertThat(harness.storedEvents()).extracting(e -> e.envelope().getEventId()).noneMatch(id -> id.startsWith("w"));
    }

    @Test
    void anInvalidChunkNamesTheEventsField() throws Exception {
        start(new IngestSettings());
        IngestStreamRequest tooMany = IngestStreamRequest.newBuilder().setSequence(1)
                .addAllEvents(IntStream.range(0, 2_001).mapToObj(i -> TestEvents.productAction("m" + i, "acme")).toList())
                .build();
        List<Throwable> errors = new ArrayList<>();
        CountDownLatch ended = new CountDownLatch(1);
        var requests = harness.async().ingestStream(new io.grpc.stub.StreamObserver<>() {
            @Override
            public void onNext(IngestStreamResponse value) {
            }

            @Override
            public void onError(Throwable t) {
                errors.add(t);
                ended.countDown();
            }

            @Override
            public void onCompleted() {
                ended.countDown();
            }
        });
        requests.onNext(tooMany);

        assertThat(ended.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Status.fromThrowable(errors.get(0)).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(GrpcErrors.fieldViolations(errors.get(0))).extracting(BadRequest.FieldViolation::getField)
                .containsExactly("events");
        assertThat(StatusProto.fromThrowable(errors.get(0))).isNotNull();
        assertThat(harness.head()).isZero();
        requests.onCompleted();
    }

    @Test
    void aFastClientIsSlowedDownByALaggingStoreNotRefused() throws Exception {
        // room for two chunks of 100 events; the store holds every append until the gate opens
        start(new IngestSettings().setMaxInFlightEvents(250).setMaxChunksInFlightPerStream(8));
        gate.closeGate();
        List<IngestStreamRequest> chunks = chunks("f", 12, 100, 5);

        StreamClient client = StreamClient.run(harness.async(), chunks);
        awaitHeld(2);
        Thread.sleep(200); // give a misbehaving server time to read more than it may

        assertThat(gate.heldAppends()).isEqualTo(2);
        assertThat(harness.module().useCase().budget().eventsInFlight()).isLessThanOrEqualTo(250);
        // the client could not even send much more than the server read
        assertThat(client.sent()).isLessThanOrEqualTo(4);
        assertThat(client.isFinished()).isFalse();
        assertThat(client.responses()).isEmpty();

        gate.openGate();
        assertThat(client.awaitEnd().getCode()).isEqualTo(Status.Code.OK);
        assertThat(client.responses()).hasSize(12).allSatisfy(response -> assertThat(response.getAccepted()).isEqualTo(100));
        assertThat(harness.storedEvents()).hasSize(1_200);
        assertThat(harness.module().useCase().budget().eventsInFlight()).isZero();
    }

    @Test
    void aChunkLargerThanTheWholeBufferIsRefusedWithResourceExhausted() throws Exception {
        start(new IngestSettings().setMaxInFlightEvents(50));

        StreamClient client = StreamClient.run(harness.async(), chunks("l", 1, 100, 1));

        assertThat(client.awaitEnd().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(harness.head()).isZero();
    }

    @Test
    void aCancelledStreamLeavesNoBudgetBehind() throws Exception {
        start(new IngestSettings());
        gate.closeGate();
        StreamClient client = StreamClient.run(harness.async(), chunks("c", 10, 50, 3));
        awaitHeld(1);

        client.cancel();
        gate.openGate();

        for (int i = 0; i < 500 && harness.module().useCase().budget().eventsInFlight() > 0; i++) {
            Thread.sleep(10);
        }
        assertThat(harness.module().useCase().budget().eventsInFlight()).isZero();
        assertThat(client.awaitEnd().getCode()).isEqualTo(Status.Code.CANCELLED);
    }

    @Test
    void whenTheStoreDiesMidStreamNoAcknowledgedEventIsLostAndNoAccountAppendIsHalfWritten() throws Exception {
        start(new IngestSettings());
        // 400 chunks of 50 events over 17 accounts: every chunk appends to several account streams
        List<IngestStreamRequest> chunks = chunks("k", 400, 50, 17);
        AtomicInteger answered = new AtomicInteger();
        CountDownLatch killTime = new CountDownLatch(1);
        Thread killer = new Thread(() -> {
            try {
                killTime.await();
                harness.closeStore();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "store-killer");
        killer.start();

        StreamClient client = StreamClient.run(harness.async(), chunks, response -> {
            if (answered.incrementAndGet() == 40) {
                killTime.countDown();
            }
        });
        Status status = client.awaitEnd();
        killer.join(TimeUnit.SECONDS.toMillis(30));

        assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        List<IngestStreamResponse> acks = client.responses();
        assertThat(acks.size()).isBetween(40, 399);
        // the answers came in order, with nothing skipped
        assertThat(acks).extracting(IngestStreamResponse::getSequence)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, acks.size()).mapToObj(Long::valueOf).toList());

        // a restarted process finds every acknowledged event where the acknowledgement said
        harness.reopenStore();
        Map<String, StoredEvent> stored = new HashMap<>();
        harness.storedEvents().forEach(event -> stored.put(event.envelope().getEventId(), event));
        int acknowledged = 0;
        for (IngestStreamResponse ack : acks) {
            for (EventResult result : ack.getResultsList()) {
                assertThat(result.getStatus()).isEqualTo(EventResult.Status.STATUS_ACCEPTED);
                StoredEvent event = stored.get(result.getEventId());
                assertThat(event).as("acknowledged %s", result.getEventId()).isNotNull();
                assertThat(event.globalPosition()).isEqualTo(result.getGlobalPosition());
                assertThat(event.streamVersion()).isEqualTo(result.getStreamVersion());
                acknowledged++;
            }
        }
        assertThat(acknowledged).isEqualTo(acks.size() * 50);

        // every account's share of every chunk is all there or not at all
        for (IngestStreamRequest chunk : chunks) {
            Map<String, List<String>> perAccount = new LinkedHashMap<>();
            chunk.getEventsList().forEach(e -> perAccount.computeIfAbsent(e.getAccountId(), a -> new ArrayList<>()).add(e.getEventId()));
            for (Map.Entry<String, List<String>> group : perAccount.entrySet()) {
                Set<Boolean> present = new HashSet<>();
                group.getValue().forEach(id -> present.add(stored.containsKey(id)));
                assertThat(present).as("chunk %d, account %s", chunk.getSequence(), group.getKey()).hasSize(1);
            }
        }
    }

    private void awaitHeld(int appends) throws InterruptedException {
        for (int i = 0; i < 1_000 && gate.heldAppends() < appends; i++) {
            Thread.sleep(10);
        }
        assertThat(gate.heldAppends()).isGreaterThanOrEqualTo(appends);
    }

    /** {@code count} chunks of {@code size} product actions spread over {@code accounts} accounts. */
    private static List<IngestStreamRequest> chunks(String prefix, int count, int size, int accounts) {
        List<IngestStreamRequest> chunks = new ArrayList<>(count);
        int id = 0;
        for (int c = 1; c <= count; c++) {
            IngestStreamRequest.Builder chunk = IngestStreamRequest.newBuilder().setSequence(c);
            for (int i = 0; i < size; i++, id++) {
                Event event = TestEvents.productAction(prefix + "-" + id, "acct-" + (id % accounts));
                chunk.addEvents(event);
            }
            chunks.add(chunk.build());
        }
        return chunks;
    }
}
