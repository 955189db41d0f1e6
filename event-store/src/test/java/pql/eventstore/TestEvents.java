package pql.eventstore;

import com.google.protobuf.Timestamp;
import java.util.UUID;
import pql.v1.EventEnvelope;
import pql.v1.ProductAction;
import pql.v1.TraceContext;

/** Envelopes for store tests: realistic product actions with every envelope field set. */
public final class TestEvents {

    private TestEvents() {
    }

    public static String uniqueStream(String prefix) {
        return StreamIds.forAccount(prefix + "-" + UUID.randomUUID());
    }

    public static EventEnvelope action(String eventId, String accountId, String action) {
        ProductAction payload = ProductAction.newBuilder()
                .setUserId("user-1")
                .setAction(action)
                .setQuantity(1)
                .putProperties("plan", "trial")
                .build();
        return EventEnvelope.newBuilder()
                .setEventId(eventId)
                .setType(ProductAction.getDescriptor().getFullName())
                .setAccountId(accountId)
                .setOccurredAt(Timestamp.newBuilder().setSeconds(1_767_225_600L).setNanos(123_000))
                .setRecordedAt(Timestamp.newBuilder().setSeconds(1_767_225_601L))
                .setTraceContext(TraceContext.newBuilder()
                        .setTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
                .setPayload(payload.toByteString())
                .setSchemaRevision(1)
                .build();
    }

    public static EventEnvelope action(String eventId, String streamId) {
        return action(eventId, streamId.startsWith(StreamIds.ACCOUNT_PREFIX) ? StreamIds.accountIdOf(streamId) : "",
                "report_created");
    }
}
