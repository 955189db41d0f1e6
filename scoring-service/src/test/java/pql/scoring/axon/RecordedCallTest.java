package pql.scoring.axon;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import pql.eventstore.LogRecord;
import pql.v1.EventEnvelope;
import pql.v1.ProductAction;
import pql.v1.TraceContext;

/**
 * The fields a projection span links by, read from a stored record's bytes: the same as protobuf
 * parsing the whole envelope would give, whatever else the envelope holds.
 */
class RecordedCallTest {

    private static final String STREAM = "account-acme";

    @Test
    void theEventIdAndTraceContextAreReadFromTheBytesAsProtobufWouldParseThem() {
        // given an envelope with every field set, the trace context between the timestamps and the payload
        EventEnvelope envelope = EventEnvelope.newBuilder()
                .setEventId("e-42")
                .setType("pql.v1.ProductAction")
                .setAccountId("acme")
                .setOccurredAt(Timestamp.newBuilder().setSeconds(1_700_000_000L))
                .setRecordedAt(Timestamp.newBuilder().setSeconds(1_700_000_100L))
                .setTraceContext(TraceContext.newBuilder()
                        .setTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                        .setTracestate("vendor=1"))
                .setPayload(ProductAction.newBuilder().setUserId("u1").setAction("report_viewed")
                        .putProperties("k", "v").build().toByteString())
                .setSchemaRevision(3)
                .build();

        // when it is read from a record laid out as the embedded engine stores it (stream id, then envelope)
        ProjectionTelemetry.RecordedCall call = ProjectionTelemetry.RecordedCall.of(record(envelope.toByteArray()));

        // then
        assertThat(call.eventId()).isEqualTo("e-42");
        assertThat(call.traceContext()).isEqualTo(envelope.getTraceContext());
    }

    @Test
    void aTraceContextSentTwiceMergesAndAnEnvelopeWithoutOneGivesTheEmptyContext() {
        EventEnvelope first = EventEnvelope.newBuilder().setEventId("e-1")
                .setTraceContext(TraceContext.newBuilder().setTraceparent("00-aa-bb-01")).build();
        EventEnvelope second = EventEnvelope.newBuilder()
                .setTraceContext(TraceContext.newBuilder().setTracestate("k=v")).build();
        byte[] concatenated = concat(first.toByteArray(), second.toByteArray());

        assertThat(ProjectionTelemetry.RecordedCall.of(record(concatenated)).traceContext())
                .isEqualTo(EventEnvelope.newBuilder().mergeFrom(first).mergeFrom(second).build().getTraceContext());
        ProjectionTelemetry.RecordedCall none = ProjectionTelemetry.RecordedCall.of(
                record(EventEnvelope.newBuilder().setEventId("e-2").build().toByteArray()));
        assertThat(none.eventId()).isEqualTo("e-2");
        assertThat(none.traceContext()).isEqualTo(TraceContext.getDefaultInstance());
    }

    private static LogRecord record(byte[] envelope) {
        byte[] stream = STREAM.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = concat(concat(stream, new byte[] {0}), envelope);
        return LogRecord.serialized(7, 0, bytes, 0, stream.length, stream.length + 1, envelope.length);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = new byte[a.length + b.length];
        System.arraycopy(a, 0, joined, 0, a.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
