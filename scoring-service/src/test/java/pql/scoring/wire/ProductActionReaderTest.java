package pql.scoring.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import pql.eventstore.LogRecord;
import pql.eventstore.StoredEvent;
import pql.scoring.domain.ProductComplexity;
import pql.scoring.domain.definition.CompiledDefinition;
import pql.scoring.domain.definition.DefinitionPresets;
import pql.scoring.domain.event.AccountEvent;
import pql.v1.Communication;
import pql.v1.EventEnvelope;
import pql.v1.ProductAction;
import pql.v1.TraceContext;

/** The allocation-free reader agrees with protobuf's parser on everything it accepts, and declines the rest. */
class ProductActionReaderTest {

    private final CompiledDefinition definition = new CompiledDefinition(1,
            DefinitionPresets.forComplexity(ProductComplexity.INTERMEDIATE));
    private final ProductActionReader reader = new ProductActionReader(definition);

    private static EventEnvelope envelope(ByteString payload) {
        return EventEnvelope.newBuilder().setEventId("e-1").setType("pql.v1.ProductAction").setAccountId("a1")
                .setOccurredAt(Timestamp.newBuilder().setSeconds(1_764_700_000L).setNanos(123_456_789))
                .setRecordedAt(Timestamp.newBuilder().setSeconds(1_764_700_001L))
                .setTraceContext(TraceContext.newBuilder().setTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"))
                .setPayload(payload).setSchemaRevision(1).build();
    }

    /** The envelope serialized as the embedded store keeps it: after a stream id, not at the array's start. */
    private static LogRecord record(EventEnvelope envelope) {
        byte[] stream = "account-a1".getBytes(StandardCharsets.UTF_8);
        byte[] serialized = envelope.toByteArray();
        byte[] bytes = new byte[3 + stream.length + serialized.length + 5];
        System.arraycopy(stream, 0, bytes, 3, stream.length);
        System.arraycopy(serialized, 0, bytes, 3 + stream.length, serialized.length);
        return LogRecord.serialized(7, 0, bytes, 3, stream.length, 3 + stream.length, serialized.length);
    }

    /** Reads with both paths, from the envelope and from its serialized bytes, and checks they agree. */
    private void assertSameAsProtobuf(ByteString payload, boolean fastPathExpected) throws Exception {
        EventEnvelope envelope = envelope(payload);
        assertThat(reader.read(record(envelope))).as("fast path taken on the bytes").isEqualTo(fastPathExpected);
        if (fastPathExpected) {
            assertSameAction(envelope);
            assertThat(reader.accountId()).isEqualTo(envelope.getAccountId());
            assertThat(reader.occurredAtMillis()).isEqualTo(EnvelopeDecoder.occurredAtMillis(envelope));
        }
        boolean fast = reader.read(envelope);
        assertThat(fast).as("fast path taken").isEqualTo(fastPathExpected);
        if (!fast) {
            return;
        }
        assertSameAction(envelope);
    }

    private void assertSameAction(EventEnvelope envelope) throws Exception {
        AccountEvent.ActionPerformed decoded = (AccountEvent.ActionPerformed) EnvelopeDecoder.decode(envelope);
        byte[] user = Arrays.copyOfRange(reader.userBytes(), reader.userOffset(),
                reader.userOffset() + reader.userLength());
        assertThat(new String(user, StandardCharsets.UTF_8)).isEqualTo(decoded.userId());
        assertThat(reader.actionId()).isEqualTo(definition.actionId(decoded.action()));
        assertThat(reader.quantity()).isEqualTo(decoded.quantity());
    }

    @Test
    void plainActionsAreReadWithoutProtobuf() throws Exception {
        assertSameAsProtobuf(ProductAction.newBuilder().setUserId("u1").setAction("report_created").setQuantity(3.5)
                .build().toByteString(), true);
        assertSameAsProtobuf(ProductAction.newBuilder().setUserId("u2").setAction("login").build().toByteString(), true);
        assertSameAsProtobuf(ProductAction.newBuilder().setAction("never_seen_before").setQuantity(0).build()
                .toByteString(), true);
        assertSameAsProtobuf(ProductAction.newBuilder().setUserId("u1").setAction("search_run")
                .putProperties("plan", "trial").putProperties("source", "web").build().toByteString(), true);
        assertSameAsProtobuf(ByteString.EMPTY, true);
    }

    @Test
    void unknownFieldsAndRepeatsFollowProtobufRules() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeString(1, "first");
        out.writeString(2, "report_created");
        out.writeUInt64(9, 123);          // unknown varint
        out.writeFixed32(10, 7);          // unknown fixed32
        out.writeString(11, "anything");  // unknown length-delimited
        out.writeUInt64(3, 5);            // quantity with the wrong wire type: an unknown field
        out.writeString(1, "second");     // the last value wins
        out.writeDouble(3, 2.0);
        out.writeDouble(3, 4.0);
        out.flush();
        assertSameAsProtobuf(ByteString.copyFrom(bytes.toByteArray()), true);
    }

    @Test
    void nonAsciiTextIsLeftToProtobuf() throws Exception {
        assertSameAsProtobuf(ProductAction.newBuilder().setUserId("zoë").setAction("report_created").build()
                .toByteString(), false);
        assertSameAsProtobuf(ProductAction.newBuilder().setUserId("u1").setAction("report_created")
                .putProperties("city", "Zürich").build().toByteString(), false);
    }

    @Test
    void malformedPayloadsAreDeclinedAndProtobufRejectsThem() throws IOException {
        byte[] valid = ProductAction.newBuilder().setUserId("u1").setAction("report_created").build().toByteArray();
        ByteString truncated = ByteString.copyFrom(valid, 0, valid.length - 3);
        ByteString badUtf8 = ByteString.copyFrom(new byte[] {0x0A, 0x02, (byte) 0xC3, 0x28, 0x12, 0x01, 'x'});
        for (ByteString payload : new ByteString[] {truncated, badUtf8}) {
            EventEnvelope envelope = envelope(payload);
            assertThat(reader.read(envelope)).isFalse();
            assertThatThrownBy(() -> EnvelopeDecoder.decode(envelope))
                    .isInstanceOf(InvalidProtocolBufferException.class);
        }
    }

    @Test
    void envelopeFieldsReadFromTheBytesAreProtobufs() throws Exception {
        ByteString payload = ProductAction.newBuilder().setUserId("u1").setAction("login").build().toByteString();
        EventEnvelope before1970 = envelope(payload).toBuilder()
                .setOccurredAt(Timestamp.newBuilder().setSeconds(-86_401).setNanos(999_000_000)).build();
        EventEnvelope accented = envelope(payload).toBuilder().setAccountId("kontö-7").build();
        EventEnvelope noAccountNoTime = envelope(payload).toBuilder().clearAccountId().clearOccurredAt()
                .clearSchemaRevision().build();
        for (EventEnvelope envelope : new EventEnvelope[] {before1970, accented, noAccountNoTime}) {
            assertThat(reader.read(record(envelope))).isTrue();
            assertSameAction(envelope);
            assertThat(reader.accountId()).isEqualTo(envelope.getAccountId());
            assertThat(reader.occurredAtMillis()).isEqualTo(EnvelopeDecoder.occurredAtMillis(envelope));
        }
    }

    @Test
    void envelopesThisReaderDoesNotSettleAreLeftToProtobuf() throws Exception {
        ByteString payload = ProductAction.newBuilder().setUserId("u1").setAction("login").build().toByteString();
        EventEnvelope envelope = envelope(payload);
        // a timestamp given twice (protobuf merges the two), an unknown field: parse it whole
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        envelope.writeTo(out);
        out.writeMessage(4, Timestamp.newBuilder().setNanos(5).build());
        out.flush();
        EventEnvelope twice = EventEnvelope.parseFrom(bytes.toByteArray());
        assertThat(reader.read(LogRecord.serialized(1, 0, bytes.toByteArray(), 0, 0, 0, bytes.size()))).isFalse();
        assertThat(reader.envelopeRead()).isFalse();
        assertThat(reader.read(twice)).isTrue();
        assertThat(reader.read(record(envelope.toBuilder().setUnknownFields(
                com.google.protobuf.UnknownFieldSet.newBuilder().addField(20,
                        com.google.protobuf.UnknownFieldSet.Field.newBuilder().addVarint(1).build()).build())
                .build()))).isFalse();
        assertThat(reader.envelopeRead()).isFalse();
        // parsed envelopes handed over as they are: the caller reads the envelope
        assertThat(reader.read(LogRecord.of(new StoredEvent("account-a1", 0, 1, envelope)))).isFalse();
        assertThat(reader.envelopeRead()).isFalse();
    }

    @Test
    void otherEventsHaveTheirEnvelopeReadAndDecodeAsTheWholeEnvelopeDoes() throws Exception {
        EventEnvelope communication = envelope(Communication.newBuilder().setUserId("u1")
                .setDirection(pql.v1.Direction.DIRECTION_INBOUND).setResponded(true).build().toByteString()).toBuilder()
                .setType("pql.v1.Communication").build();
        EventEnvelope newerAction = envelope(ProductAction.newBuilder().setAction("login").build().toByteString())
                .toBuilder().setSchemaRevision(2).build();
        EventEnvelope nonAsciiAction = envelope(ProductAction.newBuilder().setUserId("zoë").setAction("login").build()
                .toByteString());
        for (EventEnvelope envelope : new EventEnvelope[] {communication, newerAction, nonAsciiAction}) {
            assertThat(reader.read(record(envelope))).isFalse();
            assertThat(reader.envelopeRead()).isTrue();
            assertThat(reader.type()).isEqualTo(envelope.getType());
            assertThat(reader.schemaRevision()).isEqualTo(envelope.getSchemaRevision());
            assertThat(reader.payload()).isEqualTo(envelope.getPayload());
            assertThat(reader.accountId()).isEqualTo(envelope.getAccountId());
            assertThat(reader.occurredAtMillis()).isEqualTo(EnvelopeDecoder.occurredAtMillis(envelope));
            assertThat(EnvelopeDecoder.decode(reader.type(), reader.schemaRevision(), reader.payload()))
                    .isEqualTo(EnvelopeDecoder.decode(envelope));
        }
        assertThat(EnvelopeDecoder.decode(communication)).isInstanceOf(AccountEvent.Communicated.class);
        assertThat(EnvelopeDecoder.decode(newerAction)).isNull();
    }

    @Test
    void otherTypesAndNewerRevisionsAreNotActions() {
        ByteString payload = ProductAction.newBuilder().setUserId("u1").setAction("login").build().toByteString();
        assertThat(reader.read(envelope(payload).toBuilder().setType("pql.v1.Communication").build())).isFalse();
        assertThat(reader.read(envelope(payload).toBuilder().setSchemaRevision(2).build())).isFalse();
    }
}
