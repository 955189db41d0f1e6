package pql.allinone.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static pql.allinone.hostile.Calls.concat;
import static pql.allinone.hostile.Calls.lengthDelimited;
import static pql.allinone.hostile.Calls.varint;
import static pql.allinone.hostile.HostileCase.Expected.invalid;
import static pql.allinone.hostile.IngestCases.action;
import static pql.allinone.hostile.IngestCases.event;

import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import java.util.ArrayList;
import java.util.List;
import pql.allinone.hostile.HostileCase.Expected;
import pql.allinone.hostile.HostileCase.Outcome;
import pql.allinone.hostile.HostileCase.Transport;
import pql.common.grpc.GrpcErrors;
import pql.common.grpc.RawBytesMarshaller;
import pql.v1.Event;
import pql.v1.EventResult;
import pql.v1.IngestBatchRequest;
import pql.v1.IngestBatchResponse;
import pql.v1.IngestEventRequest;
import pql.v1.IngestServiceGrpc;
import pql.v1.IngestStreamResponse;
import pql.v1.ProductAction;

/**
 * Batches and streams: their own bounds (1..2,000 events, 1 MiB), items decoded one by one (a bad
 * item is REJECTED alone, the good ones around it stored, a stream goes on), and event ids: the
 * same event again is DUPLICATE, other content under a known id ALREADY_EXISTS / EVENT_ID_REUSED.
 */
final class BatchCases {

    private static final byte[] NOT_UTF8 = {(byte) 0xC3, 0x28};

    private final Calls calls;
    private final List<HostileCase> cases = new ArrayList<>();

    private BatchCases(Calls calls) {
        this.calls = calls;
    }

    static List<HostileCase> all(Calls calls) {
        BatchCases table = new BatchCases(calls);
        table.batches();
        table.streams();
        table.reusedIds();
        return table.cases;
    }

    private void batches() {
        add("IngestBatch: no events", () -> Calls.grpc(() -> calls.ingest().ingestBatch(IngestBatchRequest.getDefaultInstance()),
                r -> "answered"), invalid("events"));
        add("IngestBatch: 2,001 events", () -> Calls.grpc(() -> calls.ingest().ingestBatch(batchOf(2001)), r -> "answered"),
                invalid("events"));
        add("IngestBatch: 1.2 MiB in 40 events", () -> Calls.grpc(() -> calls.ingest().ingestBatch(bigBatch(40, 30 * 1024)),
                r -> "answered"), invalid("events"));
        add("IngestBatch: exactly 2,000 events of quantity 10^9 (accepted)", () -> Calls.grpc(() -> calls.ingest().ingestBatch(batchOf(2000)),
                r -> r.getAccepted() + " accepted"), Expected.ok("2000 accepted"));
        add("IngestBatch: an item not UTF-8 between two good ones", () -> middleItem(
                concat(lengthDelimited(1, action().build().toByteArray()),
                        lengthDelimited(1, concat(action().clearAccountId().build().toByteArray(), lengthDelimited(2, NOT_UTF8))),
                        lengthDelimited(1, action().build().toByteArray()))), invalid("account_id"));
        add("IngestBatch: an item of an unknown kind between two good ones", () -> middleItem(
                concat(lengthDelimited(1, action().build().toByteArray()),
                        lengthDelimited(1, concat(action().clearKind().build().toByteArray(), lengthDelimited(42, new byte[] {8, 1}))),
                        lengthDelimited(1, action().build().toByteArray()))), invalid("kind"));
        add("IngestBatch: an item with quantity NaN between two good ones", () -> middleItem(
                IngestBatchRequest.newBuilder().addEvents(action()).addEvents(withQuantity(Double.NaN)).addEvents(action()).build()
                        .toByteArray()), invalid("product_action.quantity"));
        add("IngestBatch: an item with its quantity as a varint between two good ones", () -> middleItem(
                concat(lengthDelimited(1, action().build().toByteArray()),
                        lengthDelimited(1, concat(action().clearKind().build().toByteArray(), lengthDelimited(12, concat(
                                ProductAction.newBuilder().setUserId("u1").setAction("a").build().toByteArray(), varint(3, 7))))),
                        lengthDelimited(1, action().build().toByteArray()))), invalid("product_action.quantity"));
        add("IngestBatch: an item with an empty oneof between two good ones", () -> middleItem(
                IngestBatchRequest.newBuilder().addEvents(action()).addEvents(action().clearKind()).addEvents(action()).build()
                        .toByteArray()), invalid("kind"));
        add("IngestBatch: framing that does not parse", () -> calls.raw("pql.v1.IngestService/IngestBatch",
                new byte[] {0x0A, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F, 1}, new io.grpc.Metadata(),
                calls.options(calls.allScopes)), Expected.grpc(Status.Code.INVALID_ARGUMENT, GrpcErrors.MALFORMED_REQUEST));
        add("IngestBatch: events sent as a varint", () -> calls.raw("pql.v1.IngestService/IngestBatch", varint(1, 5),
                new io.grpc.Metadata(), calls.options(calls.allScopes)), Expected.grpc(Status.Code.INVALID_ARGUMENT, GrpcErrors.MALFORMED_REQUEST));
    }

    private void streams() {
        add("IngestStream: a chunk with an item not UTF-8 among good ones, then a good chunk", () -> {
            byte[] first = concat(varint(1, 1), lengthDelimited(2, action().build().toByteArray()),
                    lengthDelimited(2, concat(action().clearAccountId().build().toByteArray(), lengthDelimited(2, NOT_UTF8))));
            byte[] second = concat(varint(1, 2), lengthDelimited(2, action().build().toByteArray()));
            List<IngestStreamResponse> answers = calls.streamAnswers(first, second);
            assertThat(answers).as("both chunks answered: the stream went on").hasSize(2);
            assertThat(answers.get(0).getResults(0).getStatus()).isEqualTo(EventResult.Status.STATUS_ACCEPTED);
            assertThat(answers.get(1).getResults(0).getStatus()).isEqualTo(EventResult.Status.STATUS_ACCEPTED);
            return Calls.item(answers.get(0).getResults(1));
        }, invalid("account_id"));
        add("IngestStream: a chunk with quantity -Infinity among good ones", () -> {
            byte[] chunk = concat(varint(1, 7), lengthDelimited(2, withQuantity(Double.NEGATIVE_INFINITY).build().toByteArray()),
                    lengthDelimited(2, action().build().toByteArray()));
            List<IngestStreamResponse> answers = calls.streamAnswers(chunk);
            assertThat(answers.get(0).getResults(1).getStatus()).isEqualTo(EventResult.Status.STATUS_ACCEPTED);
            return Calls.item(answers.get(0).getResults(0));
        }, invalid("product_action.quantity"));
        add("IngestStream: an empty chunk ends the stream", () -> calls.stream(varint(1, 1)), invalid("events"));
        add("IngestStream: a chunk of 2,001 events ends the stream", () -> calls.stream(concat(varint(1, 1), reTag(batchOf(2001)))),
                invalid("events"));
    }

    private void reusedIds() {
        add("IngestEvent: an event id sent again with another quantity", () -> {
            Event original = withQuantity(1).setEventId("hx-reused-1").build();
            calls.ingest().ingestEvent(IngestEventRequest.newBuilder().setEvent(original).build());
            return Calls.grpc(() -> calls.ingest().ingestEvent(IngestEventRequest.newBuilder()
                    .setEvent(original.toBuilder().setProductAction(original.getProductAction().toBuilder().setQuantity(5))).build()),
                    r -> r.getResult().getStatus().name());
        }, Expected.grpc(Status.Code.ALREADY_EXISTS, "EVENT_ID_REUSED"));
        add("IngestEvent: the same event again", () -> {
            Event original = withQuantity(1).setEventId("hx-reused-2").build();
            calls.ingest().ingestEvent(IngestEventRequest.newBuilder().setEvent(original).build());
            return Calls.grpc(() -> calls.ingest().ingestEvent(IngestEventRequest.newBuilder().setEvent(original).build()),
                    r -> r.getResult().getStatus().name());
        }, Expected.ok("STATUS_DUPLICATE"));
        add("IngestBatch: a stored event id with another kind", () -> {
            Event original = withQuantity(1).setEventId("hx-reused-3").build();
            calls.ingest().ingestEvent(IngestEventRequest.newBuilder().setEvent(original).build());
            Event other = event(original.getAccountId()).setEventId(original.getEventId()).setOccurredAt(original.getOccurredAt())
                    .setSalesAssistanceRequested(pql.v1.SalesAssistanceRequested.newBuilder().setNote("hi")).build();
            IngestBatchResponse response = calls.ingest().ingestBatch(IngestBatchRequest.newBuilder().addEvents(action())
                    .addEvents(other).build());
            assertThat(response.getResults(0).getStatus()).isEqualTo(EventResult.Status.STATUS_ACCEPTED);
            return Calls.item(response.getResults(1));
        }, Expected.grpc(Status.Code.ALREADY_EXISTS, "EVENT_ID_REUSED"));
        add("IngestBatch: one id twice in a batch with other content", () -> {
            Event first = withQuantity(1).setEventId("hx-reused-4").build();
            Event second = first.toBuilder().setProductAction(first.getProductAction().toBuilder().setQuantity(2)).build();
            IngestBatchResponse response = calls.ingest().ingestBatch(IngestBatchRequest.newBuilder().addEvents(first)
                    .addEvents(second).build());
            assertThat(response.getResults(0).getStatus()).isEqualTo(EventResult.Status.STATUS_ACCEPTED);
            return Calls.item(response.getResults(1));
        }, Expected.grpc(Status.Code.ALREADY_EXISTS, "EVENT_ID_REUSED"));
        add("IngestBatch: one id twice in a batch with the same content", () -> {
            Event first = withQuantity(1).setEventId("hx-reused-5").build();
            IngestBatchResponse response = calls.ingest().ingestBatch(IngestBatchRequest.newBuilder().addEvents(first)
                    .addEvents(first).build());
            assertThat(response.getResults(0).getStatus()).isEqualTo(EventResult.Status.STATUS_ACCEPTED);
            return Calls.item(response.getResults(1));
        }, Expected.ok("STATUS_DUPLICATE"));
    }

    // --- helpers ---

    private void add(String name, java.util.concurrent.Callable<Outcome> call, Expected expected) {
        cases.add(new HostileCase(name, Transport.GRPC, call, expected));
    }

    /** The middle item's outcome of a three-item batch sent as raw bytes; the two around it must be stored. */
    private Outcome middleItem(byte[] batch) {
        MethodDescriptor<byte[], IngestBatchResponse> raw = IngestServiceGrpc.getIngestBatchMethod()
                .toBuilder(RawBytesMarshaller.INSTANCE, IngestServiceGrpc.getIngestBatchMethod().getResponseMarshaller()).build();
        IngestBatchResponse response = ClientCalls.blockingUnaryCall(calls.allInOne.channel(), raw, calls.options(calls.allScopes), batch);
        assertThat(response.getResultsList()).extracting(EventResult::getStatus).as("the items around it")
                .containsExactly(EventResult.Status.STATUS_ACCEPTED, EventResult.Status.STATUS_REJECTED, EventResult.Status.STATUS_ACCEPTED);
        return Calls.item(response.getResults(1));
    }

    private static Event.Builder withQuantity(double quantity) {
        return event("hx-items").setProductAction(ProductAction.newBuilder().setUserId("u1").setAction("report_created").setQuantity(quantity));
    }

    private static IngestBatchRequest batchOf(int count) {
        IngestBatchRequest.Builder batch = IngestBatchRequest.newBuilder();
        for (int i = 0; i < count; i++) {
            batch.addEvents(event("hx-bulk").setProductAction(ProductAction.newBuilder().setUserId("u" + i % 7)
                    .setAction("report_created").setQuantity(1e9)));
        }
        return batch.build();
    }

    /** A batch's events as a chunk's events (field 2 instead of 1). */
    private static byte[] reTag(IngestBatchRequest batch) {
        List<byte[]> parts = new ArrayList<>();
        for (Event event : batch.getEventsList()) {
            parts.add(lengthDelimited(2, event.toByteArray()));
        }
        return concat(parts.toArray(byte[][]::new));
    }

    private static IngestBatchRequest bigBatch(int count, int valueLength) {
        IngestBatchRequest.Builder batch = IngestBatchRequest.newBuilder();
        for (int i = 0; i < count; i++) {
            batch.addEvents(action().setProductAction(ProductAction.newBuilder().setUserId("u1").setAction("report_created")
                    .putProperties("p", "x".repeat(valueLength))));
        }
        return batch.build();
    }
}
