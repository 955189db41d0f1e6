package pql.ingest.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import io.grpc.ClientCall;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import pql.common.grpc.GrpcErrors;
import pql.common.grpc.RawBytesMarshaller;
import pql.ingest.support.IngestHarness;
import pql.ingest.support.TestEvents;
import pql.v1.Event;
import pql.v1.EventResult;
import pql.v1.IngestBatchRequest;
import pql.v1.IngestBatchResponse;
import pql.v1.IngestEventRequest;
import pql.v1.IngestEventResponse;
import pql.v1.IngestServiceGrpc;
import pql.v1.IngestStreamRequest;
import pql.v1.IngestStreamResponse;
import pql.v1.ProductAction;

/**
 * Issue #13, finding 3: an item that does not decode (invalid UTF-8 in a string, a field sent with
 * the wrong wire type, two kinds, a kind this server does not know, a nested message cut short) is
 * REJECTED with the path of the field at fault, while the items around it are stored; a stream
 * goes on after such a chunk. The requests are written byte by byte, as a hostile or broken client
 * would send them: the generated builders cannot produce most of these.
 */
class MalformedItemsTest {

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

    /** An item's bytes, the field its violation names, and whether its event id can still be read. */
    record Malformed(String name, byte[] item, String field, String eventId) {
        @Override
        public String toString() {
            return name + " -> " + field;
        }
    }

    private static final byte[] INVALID_UTF8 = {(byte) 0xC3, 0x28};

    static Stream<Malformed> malformedItems() {
        return Stream.of(
                malformed("invalid UTF-8 in product_action.user_id", "m-utf8-user", id -> event(id, "acme",
                        field(12, concat(bytesField(1, INVALID_UTF8), stringField(2, "invoice_submitted")))),
                        "product_action.user_id"),
                new Malformed("invalid UTF-8 in account_id", concat(stringField(1, "m-utf8-account"),
                        bytesField(2, INVALID_UTF8), occurredAt(),
                        field(12, concat(stringField(1, "u-1"), stringField(2, "invoice_submitted")))),
                        "account_id", "m-utf8-account"),
                malformed("invalid UTF-8 in a property key", "m-utf8-key", id -> event(id, "acme",
                        field(12, concat(stringField(1, "u-1"), stringField(2, "invoice_submitted"),
                                field(4, concat(bytesField(1, INVALID_UTF8), stringField(2, "v")))))),
                        "product_action.properties"),
                new Malformed("occurred_at sent as a varint", concat(stringField(1, "m-wire-time"),
                        stringField(2, "acme"), varintField(3, 1_767_225_600L),
                        field(12, concat(stringField(1, "u-1"), stringField(2, "invoice_submitted")))),
                        "occurred_at", "m-wire-time"),
                malformed("quantity sent as a varint", "m-wire-quantity", id -> event(id, "acme",
                        field(12, concat(stringField(1, "u-1"), stringField(2, "invoice_submitted"), varintField(3, 5)))),
                        "product_action.quantity"),
                malformed("two kinds in one event", "m-two-kinds", id -> event(id, "acme",
                        concat(field(10, stringField(1, "Acme")),
                                field(12, concat(stringField(1, "u-1"), stringField(2, "invoice_submitted"))))),
                        "kind"),
                malformed("a kind this server does not know (field 99)", "m-unknown-kind",
                        id -> event(id, "acme", field(99, stringField(1, "new"))), "kind"),
                malformed("product_action cut short inside the item", "m-truncated", id -> event(id, "acme",
                        concat(tag(12, WireFormat.WIRETYPE_LENGTH_DELIMITED), varint(40), stringField(1, "u-1"))),
                        "product_action"));
    }

    @Test
    void theTableCoversEveryKindOfMalformation() {
        assertThat(malformedItems().count()).isGreaterThanOrEqualTo(8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedItems")
    void inABatchTheUndecodableItemIsRejectedWithItsPathAndTheItemsAroundItAreStored(Malformed bad) {
        long head = harness.head();
        Event before = TestEvents.productAction("good-" + ids.incrementAndGet(), "acme");
        Event after = TestEvents.productAction("good-" + ids.incrementAndGet(), "globex");
        byte[] batch = concat(field(1, before.toByteArray()), field(1, bad.item), field(1, after.toByteArray()));

        IngestBatchResponse response = call(BATCH_BYTES, batch);

        assertThat(response.getResultsList()).extracting(EventResult::getStatus).containsExactly(
                EventResult.Status.STATUS_ACCEPTED, EventResult.Status.STATUS_REJECTED, EventResult.Status.STATUS_ACCEPTED);
        EventResult rejected = response.getResults(1);
        assertThat(rejected.getIndex()).isEqualTo(1);
        assertThat(rejected.getEventId()).isEqualTo(bad.eventId);
        assertThat(rejected.getError().getCode()).isEqualTo(Code.INVALID_ARGUMENT_VALUE);
        assertThat(GrpcErrors.badRequestOf(rejected.getError()).orElseThrow().getFieldViolationsList())
                .extracting(BadRequest.FieldViolation::getField).containsExactly(bad.field);
        assertThat(response.getAccepted()).isEqualTo(2);
        assertThat(harness.head()).isEqualTo(head + 2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedItems")
    void ingestEventRefusesAnUndecodableEventWithTheFieldPath(Malformed bad) {
        long head = harness.head();

        assertThatThrownBy(() -> call(EVENT_BYTES, field(1, bad.item)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, error -> {
                    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(GrpcErrors.fieldViolations(error)).extracting(BadRequest.FieldViolation::getField)
                            .containsExactly("event." + bad.field);
                });
        assertThat(harness.head()).isEqualTo(head);
    }

    @Test
    void aStreamGoesOnAfterAChunkWithAnUndecodableItem() throws Exception {
        Malformed bad = malformedItems().findFirst().orElseThrow();
        Event first = TestEvents.productAction("stream-good-1", "acme");
        Event second = TestEvents.productAction("stream-good-2", "acme");
        List<byte[]> chunks = List.of(
                concat(varintField(1, 1), field(2, first.toByteArray()), field(2, bad.item)),
                concat(varintField(1, 2), field(2, second.toByteArray())));

        RawStream stream = RawStream.run(chunks);

        assertThat(stream.end.get(30, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
        assertThat(stream.responses).hasSize(2);
        assertThat(stream.responses.get(0).getResultsList()).extracting(EventResult::getStatus).containsExactly(
                EventResult.Status.STATUS_ACCEPTED, EventResult.Status.STATUS_REJECTED);
        assertThat(GrpcErrors.badRequestOf(stream.responses.get(0).getResults(1).getError()).orElseThrow()
                .getFieldViolationsList()).extracting(BadRequest.FieldViolation::getField).containsExactly(bad.field);
        assertThat(stream.responses.get(1).getSequence()).isEqualTo(2);
        assertThat(stream.responses.get(1).getAccepted()).isEqualTo(1);
    }

    @Test
    void aChunkWhoseFramingIsBrokenStillEndsTheStream() throws Exception {
        Event first = TestEvents.productAction("framing-good-1", "acme");
        // an events field announcing 100 bytes that never come: not even the items can be found
        List<byte[]> chunks = List.of(
                concat(varintField(1, 1), field(2, first.toByteArray())),
                concat(varintField(1, 2), tag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED), varint(100), new byte[] {1, 2, 3}));

        RawStream stream = RawStream.run(chunks);

        assertThat(stream.end.get(30, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(stream.responses).hasSize(1);
        assertThat(stream.responses.get(0).getAccepted()).isEqualTo(1);
    }

    // --- calls with raw request bytes ---

    private static final MethodDescriptor<byte[], IngestEventResponse> EVENT_BYTES = IngestServiceGrpc.getIngestEventMethod()
            .toBuilder(RawBytesMarshaller.INSTANCE, IngestServiceGrpc.getIngestEventMethod().getResponseMarshaller()).build();
    private static final MethodDescriptor<byte[], IngestBatchResponse> BATCH_BYTES = IngestServiceGrpc.getIngestBatchMethod()
            .toBuilder(RawBytesMarshaller.INSTANCE, IngestServiceGrpc.getIngestBatchMethod().getResponseMarshaller()).build();
    private static final MethodDescriptor<byte[], IngestStreamResponse> STREAM_BYTES = IngestServiceGrpc.getIngestStreamMethod()
            .toBuilder(RawBytesMarshaller.INSTANCE, IngestServiceGrpc.getIngestStreamMethod().getResponseMarshaller()).build();

    private static <T> T call(MethodDescriptor<byte[], T> method, byte[] request) {
        return ClientCalls.blockingUnaryCall(harness.blocking().getChannel(), method, harness.blocking().getCallOptions(),
                request);
    }

    /** Sends every chunk at once (they are small), half-closes, and records the answers. */
    private static final class RawStream implements StreamObserver<IngestStreamResponse> {
        final List<IngestStreamResponse> responses = new ArrayList<>();
        final CompletableFuture<Status> end = new CompletableFuture<>();

        static RawStream run(List<byte[]> chunks) {
            RawStream stream = new RawStream();
            ClientCall<byte[], IngestStreamResponse> call = harness.blocking().getChannel()
                    .newCall(STREAM_BYTES, harness.async().getCallOptions().withDeadlineAfter(30, TimeUnit.SECONDS));
            StreamObserver<byte[]> requests = ClientCalls.asyncBidiStreamingCall(call, stream);
            chunks.forEach(requests::onNext);
            requests.onCompleted();
            return stream;
        }

        @Override
        public synchronized void onNext(IngestStreamResponse response) {
            responses.add(response);
        }

        @Override
        public void onError(Throwable error) {
            end.complete(Status.fromThrowable(error));
        }

        @Override
        public void onCompleted() {
            end.complete(Status.OK);
        }
    }

    // --- the wire format, by hand ---

    private static Malformed malformed(String name, String eventId, java.util.function.Function<String, byte[]> item,
            String field) {
        return new Malformed(name, item.apply(eventId), field, eventId);
    }

    /** event_id, account_id, occurred_at, then {@code rest}. */
    private static byte[] event(String eventId, String accountId, byte[] rest) {
        return concat(stringField(1, eventId), stringField(2, accountId), occurredAt(), rest);
    }

    private static byte[] occurredAt() {
        return field(3, TestEvents.base("x", "x").build().getOccurredAt().toByteArray());
    }

    private static byte[] stringField(int number, String value) {
        return field(number, value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static byte[] bytesField(int number, byte[] value) {
        return field(number, value);
    }

    private static byte[] field(int number, byte[] value) {
        return concat(tag(number, WireFormat.WIRETYPE_LENGTH_DELIMITED), varint(value.length), value);
    }

    private static byte[] varintField(int number, long value) {
        return concat(tag(number, WireFormat.WIRETYPE_VARINT), varint(value));
    }

    private static byte[] tag(int number, int wireType) {
        return varint((long) number << 3 | wireType);
    }

    private static byte[] varint(long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CodedOutputStream coded = CodedOutputStream.newInstance(out);
        try {
            coded.writeUInt64NoTag(value);
            coded.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    @Test
    void theHandWrittenGoodItemsAreWhatTheGeneratedCodeWrites() throws InvalidProtocolBufferException {
        byte[] item = event("same", "acme", field(12, concat(stringField(1, "u-1"), stringField(2, "a"))));

        assertThat(Event.parseFrom(item)).isEqualTo(TestEvents.base("same", "acme")
                .setProductAction(ProductAction.newBuilder().setUserId("u-1").setAction("a")).build());
        assertThat(ByteString.copyFrom(item)).isEqualTo(Event.parseFrom(item).toByteString());
        assertThat(IngestBatchRequest.parseFrom(field(1, item)).getEventsCount()).isEqualTo(1);
        assertThat(IngestEventRequest.parseFrom(field(1, item)).hasEvent()).isTrue();
        assertThat(IngestStreamRequest.parseFrom(concat(varintField(1, 3), field(2, item))).getSequence()).isEqualTo(3);
    }
}
