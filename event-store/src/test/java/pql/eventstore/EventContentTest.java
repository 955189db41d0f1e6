package pql.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import pql.v1.EventEnvelope;
import pql.v1.ProductAction;

/** What makes an event sent again under a known id the same event (a retry) or a reused id. */
class EventContentTest {

    private static final EventEnvelope STORED = TestEvents.action("e1", "acme", "report_created");

    private static EventEnvelope withPayload(ByteString payload) {
        return STORED.toBuilder().setPayload(payload).build();
    }

    @Test
    void whatTheStoreAddsOnTheWayInDoesNotCount() {
        EventEnvelope retried = STORED.toBuilder().setRecordedAt(STORED.getRecordedAt().toBuilder().setSeconds(1))
                .clearTraceContext().setSchemaRevision(7).build();

        assertThat(EventContent.same(STORED, retried)).isTrue();
    }

    @Test
    void typeAccountOccurredAtAndPayloadAllCount() {
        assertThat(EventContent.same(STORED, STORED.toBuilder().setType("pql.v1.PlanLimitReached").build())).isFalse();
        assertThat(EventContent.same(STORED, STORED.toBuilder().setAccountId("globex").build())).isFalse();
        assertThat(EventContent.same(STORED, STORED.toBuilder()
                .setOccurredAt(STORED.getOccurredAt().toBuilder().setNanos(0)).build())).isFalse();
        assertThat(EventContent.same(STORED, TestEvents.action("e1", "acme", "dashboard_shared"))).isFalse();
    }

    @Test
    void payloadsAreComparedAsMessagesNotBytes() throws IOException {
        ProductAction action = ProductAction.newBuilder().setUserId("u-1").setAction("a").setQuantity(2)
                .putProperties("a", "1").putProperties("b", "2").build();
        ProductAction reordered = ProductAction.newBuilder().setQuantity(2).setAction("a").setUserId("u-1")
                .putProperties("b", "2").putProperties("a", "1").build();
        // the same fields written in reverse order by hand
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeDouble(3, 2);
        out.writeString(2, "a");
        out.writeString(1, "u-1");
        out.writeByteArray(4, ProductAction.newBuilder().putProperties("b", "2").build().toByteString().substring(2).toByteArray());
        out.writeByteArray(4, ProductAction.newBuilder().putProperties("a", "1").build().toByteString().substring(2).toByteArray());
        out.flush();
        ByteString handWritten = ByteString.copyFrom(bytes.toByteArray());

        assertThat(reordered.toByteString()).isNotEqualTo(action.toByteString());
        assertThat(handWritten).isNotEqualTo(action.toByteString());
        assertThat(EventContent.same(withPayload(action.toByteString()), withPayload(reordered.toByteString()))).isTrue();
        assertThat(EventContent.same(withPayload(action.toByteString()), withPayload(handWritten))).isTrue();
        assertThat(EventContent.same(withPayload(action.toByteString()),
                withPayload(action.toBuilder().putProperties("a", "other").build().toByteString()))).isFalse();
        assertThat(EventContent.same(withPayload(action.toByteString()),
                withPayload(action.toBuilder().clearQuantity().build().toByteString()))).isFalse();
    }

    @Test
    void aPayloadOfAnUnknownTypeOrThatDoesNotParseIsTheSameOnlyByteForByte() {
        EventEnvelope unknown = STORED.toBuilder().setType("acme.v9.Thing").setPayload(ByteString.copyFromUtf8("xy")).build();
        EventEnvelope garbage = STORED.toBuilder().setPayload(ByteString.copyFrom(new byte[] {0x0a, 100})).build();

        assertThat(EventContent.same(unknown, unknown.toBuilder().build())).isTrue();
        assertThat(EventContent.same(unknown, unknown.toBuilder().setPayload(ByteString.copyFromUtf8("yx")).build())).isFalse();
        assertThat(EventContent.same(garbage, garbage.toBuilder().build())).isTrue();
        assertThat(EventContent.same(STORED, garbage)).isFalse();
    }
}
