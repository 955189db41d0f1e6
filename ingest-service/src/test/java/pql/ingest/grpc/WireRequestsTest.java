package pql.ingest.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnknownFieldSet;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.common.grpc.RawBytesMarshaller;
import pql.ingest.grpc.WireRequests.EventsRequest;
import pql.ingest.support.IngestHarness;
import pql.ingest.support.TestEvents;
import pql.v1.Event;
import pql.v1.EventResult;
import pql.v1.IngestBatchRequest;
import pql.v1.IngestEventRequest;
import pql.v1.IngestEventResponse;
import pql.v1.IngestServiceGrpc;
import pql.v1.IngestStreamRequest;
import pql.v1.ProductAction;

/** Requests parsed as protobuf would, with each event's payload bytes kept as sent. */
class WireRequestsTest {

    @TempDir
    Path directory;

    @Test
    void aBatchKeepsEveryEventAndTheExactBytesOfItsKind() {
        Event action = TestEvents.productAction("e1", "acme");
        Event outcome = TestEvents.outcome("e2", "globex");
        IngestBatchRequest request = IngestBatchRequest.newBuilder().addEvents(action).addEvents(outcome).build();

        EventsRequest parsed = WireRequests.BATCH.parse(request.toByteString().newInput());

        assertThat(parsed.events()).containsExactly(action, outcome);
        assertThat(parsed.payload(0)).isEqualTo(action.getProductAction().toByteString());
        assertThat(parsed.payload(1)).isEqualTo(outcome.getOutcome().toByteString());
        assertThat(parsed.serializedSize()).isEqualTo(request.getSerializedSize());
    }

    @Test
    void theKindIsFoundBehindFieldsOfEveryWireType() {
        Event action = TestEvents.productAction("e1", "acme").toBuilder().setUnknownFields(UnknownFieldSet.newBuilder()
                .addField(40, UnknownFieldSet.Field.newBuilder().addVarint(Long.MAX_VALUE).build())
                .addField(41, UnknownFieldSet.Field.newBuilder().addFixed64(7).build())
                .addField(42, UnknownFieldSet.Field.newBuilder().addFixed32(9).build())
                .addField(43, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8("x".repeat(300))).build())
                .build()).build();

        EventsRequest parsed = WireRequests.BATCH.parse(IngestBatchRequest.newBuilder().addEvents(action).build()
                .toByteString().newInput());

        assertThat(parsed.event(0)).isEqualTo(action);
        assertThat(parsed.payload(0)).isEqualTo(action.getProductAction().toByteString());
    }

    @Test
    void aStreamChunkCarriesItsSequence() {
        IngestStreamRequest chunk = IngestStreamRequest.newBuilder().setSequence(42)
                .addEvents(TestEvents.planLimit("e1", "acme")).build();

        EventsRequest parsed = WireRequests.STREAM.parse(chunk.toByteString().newInput());

        assertThat(parsed.sequence()).isEqualTo(42);
        assertThat(parsed.events()).containsExactly(chunk.getEvents(0));
    }

    @Test
    void aKindSentTwiceIsMergedAsProtobufDoesAndItsPayloadEncodedAgain() throws IOException {
        ProductAction first = ProductAction.newBuilder().setUserId("u-1").setAction("a").build();
        ProductAction second = ProductAction.newBuilder().setQuantity(3).build();
        Event base = TestEvents.base("e1", "acme").build();
        byte[] event = concat(base.toByteArray(), field(Event.PRODUCT_ACTION_FIELD_NUMBER, first.toByteString()),
                field(Event.PRODUCT_ACTION_FIELD_NUMBER, second.toByteString()));

        EventsRequest parsed = WireRequests.BATCH.parse(new ByteArrayInputStream(
                field(IngestBatchRequest.EVENTS_FIELD_NUMBER, ByteString.copyFrom(event))));

        assertThat(parsed.event(0).getProductAction()).isEqualTo(first.toBuilder().mergeFrom(second).build());
        assertThat(parsed.payload(0)).isNull();
    }

    @Test
    void anEventSentTwiceInAUnaryRequestIsMerged() throws IOException {
        Event first = TestEvents.base("e1", "acme").build();
        Event second = Event.newBuilder().setProductAction(ProductAction.newBuilder().setUserId("u").setAction("a")).build();
        InputStream request = new ByteArrayInputStream(concat(
                field(IngestEventRequest.EVENT_FIELD_NUMBER, first.toByteString()),
                field(IngestEventRequest.EVENT_FIELD_NUMBER, second.toByteString())));

        EventsRequest parsed = WireRequests.EVENT.parse(request);

        assertThat(parsed.events()).containsExactly(first.toBuilder().mergeFrom(second).build());
        assertThat(parsed.payload(0)).isNull();
    }

    @Test
    void anItemThatDoesNotDecodeIsKeptAsUndecodableWithItsPathAndTheOthersDecode() throws IOException {
        Event good = TestEvents.productAction("e1", "acme");
        // event_id "e2", then account_id holding bytes that are not UTF-8
        byte[] bad = concat(field(Event.EVENT_ID_FIELD_NUMBER, ByteString.copyFromUtf8("e2")),
                field(Event.ACCOUNT_ID_FIELD_NUMBER, ByteString.copyFrom(new byte[] {(byte) 0xff})));
        byte[] request = concat(field(IngestBatchRequest.EVENTS_FIELD_NUMBER, good.toByteString()),
                field(IngestBatchRequest.EVENTS_FIELD_NUMBER, ByteString.copyFrom(bad)),
                field(IngestBatchRequest.EVENTS_FIELD_NUMBER, good.toByteString()));

        EventsRequest parsed = WireRequests.BATCH.parse(new ByteArrayInputStream(request));

        assertThat(parsed.malformation()).isNull();
        assertThat(parsed.size()).isEqualTo(3);
        assertThat(parsed.undecodable(0)).isEmpty();
        assertThat(parsed.undecodable(1)).extracting(pql.ingest.validation.Violation::field).containsExactly("account_id");
        assertThat(parsed.event(1).getEventId()).isEqualTo("e2");
        assertThat(parsed.undecodable(2)).isEmpty();
        assertThat(parsed.payload(2)).isEqualTo(good.getProductAction().toByteString());
    }

    @Test
    void anItemBrokenInsideItsKindLeavesTheItemsAndFieldsAfterItReadable() throws IOException {
        Event good = TestEvents.productAction("e1", "acme");
        // a product_action whose user_id is not UTF-8: the parse fails two messages deep
        byte[] brokenKind = field(ProductAction.USER_ID_FIELD_NUMBER, ByteString.copyFrom(new byte[] {(byte) 0xc3}));
        byte[] bad = concat(field(Event.EVENT_ID_FIELD_NUMBER, ByteString.copyFromUtf8("e2")),
                field(Event.PRODUCT_ACTION_FIELD_NUMBER, ByteString.copyFrom(brokenKind)));
        byte[] request = concat(field(IngestStreamRequest.EVENTS_FIELD_NUMBER, ByteString.copyFrom(bad)),
                field(IngestStreamRequest.EVENTS_FIELD_NUMBER, good.toByteString()),
                IngestStreamRequest.newBuilder().setSequence(7).build().toByteArray());

        EventsRequest parsed = WireRequests.STREAM.parse(new ByteArrayInputStream(request));

        assertThat(parsed.malformation()).isNull();
        assertThat(parsed.sequence()).isEqualTo(7);
        assertThat(parsed.undecodable(0)).extracting(pql.ingest.validation.Violation::field)
                .containsExactly("product_action.user_id");
        assertThat(parsed.event(0).getEventId()).isEqualTo("e2");
        assertThat(parsed.undecodable(1)).isEmpty();
        assertThat(parsed.event(1)).isEqualTo(good);
        assertThat(parsed.payload(1)).isEqualTo(good.getProductAction().toByteString());
    }

    @Test
    void aRequestForwardedInProcessIsParsedFromTheGatewaysArray() {
        Event action = TestEvents.productAction("e1", "acme");
        byte[] forwarded = IngestBatchRequest.newBuilder().addEvents(action).build().toByteArray();

        EventsRequest parsed = WireRequests.BATCH.parse(RawBytesMarshaller.INSTANCE.stream(forwarded));

        assertThat(parsed.events()).containsExactly(action);
        assertThat(parsed.serializedSize()).isEqualTo(forwarded.length);
        assertThat(parsed.payload(0)).isEqualTo(action.getProductAction().toByteString());
    }

    @Test
    void anEventsFieldThatIsNotLengthDelimitedBreaksTheFramingOfTheWholeRequest() {
        byte[] request = {(IngestBatchRequest.EVENTS_FIELD_NUMBER << 3), 7};

        assertThat(WireRequests.BATCH.parse(new ByteArrayInputStream(request)).malformation()).isNotNull();
    }

    @Test
    void unknownFieldsInsideAKindAreStoredAsSent() throws Exception {
        Event event = TestEvents.productAction("e1", "acme");
        ProductAction newer = event.getProductAction().toBuilder().setUnknownFields(UnknownFieldSet.newBuilder()
                .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(7).build()).build()).build();
        try (IngestHarness harness = IngestHarness.start(directory)) {
            harness.blocking().ingestEvent(IngestEventRequest.newBuilder()
                    .setEvent(event.toBuilder().setProductAction(newer)).build());

            ByteString stored = harness.storedEvents().get(0).envelope().getPayload();
            assertThat(ProductAction.parseFrom(stored).getUnknownFields().hasField(99)).isTrue();
            assertThat(stored).isEqualTo(newer.toByteString());
        }
    }

    @Test
    void bytesThatAreNotTheRequestMessageAreInvalidArgument() throws Exception {
        MethodDescriptor<byte[], IngestEventResponse> raw = IngestServiceGrpc.getIngestEventMethod()
                .toBuilder(RawBytesMarshaller.INSTANCE, IngestServiceGrpc.getIngestEventMethod().getResponseMarshaller()).build();
        try (IngestHarness harness = IngestHarness.start(directory)) {
            // field 1, length-delimited, announcing 100 bytes that never come
            byte[] truncated = {0x0a, 100, 1, 2, 3};

            assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(harness.blocking().getChannel(), raw,
                    harness.blocking().getCallOptions(), truncated))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            error -> assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
            assertThat(harness.head()).isZero();
            // and the service still answers well-formed calls
            assertThat(harness.blocking().ingestEvent(IngestEventRequest.newBuilder()
                    .setEvent(TestEvents.productAction("ok", "acme")).build()).getResult().getStatus())
                    .isEqualTo(EventResult.Status.STATUS_ACCEPTED);
        }
    }

    private static byte[] field(int number, ByteString value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CodedOutputStream coded = CodedOutputStream.newInstance(out);
        coded.writeBytes(number, value);
        coded.flush();
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.write(part);
        }
        return out.toByteArray();
    }
}
