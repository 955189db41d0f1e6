package pql.ingest.app;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Timestamp;
import pql.v1.AccountProfiled;
import pql.v1.Communication;
import pql.v1.Event;
import pql.v1.EventEnvelope;
import pql.v1.Outcome;
import pql.v1.PlanLimitReached;
import pql.v1.ProductAction;
import pql.v1.SalesAssistanceRequested;
import pql.v1.TraceContext;
import pql.v1.UserIdentified;

/** Turns a valid client event into its stored form. */
final class Envelopes {

    /** Revision of every payload schema written today; bumped when an upcaster is needed. */
    static final int SCHEMA_REVISION = 1;

    // Type names as UTF-8 bytes, set with setTypeBytes: an envelope's string fields are encoded
    // when it is written to the log, and a String would be encoded (and copied) for every event.
    private static final ByteString ACCOUNT_PROFILED = typeName(AccountProfiled.getDescriptor());
    private static final ByteString USER_IDENTIFIED = typeName(UserIdentified.getDescriptor());
    private static final ByteString PRODUCT_ACTION = typeName(ProductAction.getDescriptor());
    private static final ByteString COMMUNICATION = typeName(Communication.getDescriptor());
    private static final ByteString SALES_ASSISTANCE = typeName(SalesAssistanceRequested.getDescriptor());
    private static final ByteString PLAN_LIMIT = typeName(PlanLimitReached.getDescriptor());
    private static final ByteString OUTCOME = typeName(Outcome.getDescriptor());
    private static final ByteString EXCHANGE_RATE = typeName(pql.v1.ExchangeRate.getDescriptor());

    private Envelopes() {
    }

    /**
     * @param payload the kind message's bytes as the client encoded them, or null to encode it here
     * @param traceContext the ingesting call's trace context; the default instance when there is none
     */
    static EventEnvelope of(Event event, ByteString payload, Timestamp recordedAt, TraceContext traceContext) {
        EventEnvelope.Builder envelope = EventEnvelope.newBuilder()
                .setEventId(event.getEventId())
                .setAccountId(event.getAccountId())
                .setOccurredAt(event.getOccurredAt())
                .setRecordedAt(recordedAt)
                .setSchemaRevision(SCHEMA_REVISION);
        // the bytes getter: the String one would turn the shared context's bytes back into a String
        if (!traceContext.getTraceparentBytes().isEmpty()) {
            envelope.setTraceContext(traceContext);
        }
        if (payload != null) {
            return envelope.setTypeBytes(typeOf(event)).setPayload(payload).build();
        }
        switch (event.getKindCase()) {
            case ACCOUNT_PROFILED -> payload(envelope, ACCOUNT_PROFILED, event.getAccountProfiled().toByteString());
            case USER_IDENTIFIED -> payload(envelope, USER_IDENTIFIED, event.getUserIdentified().toByteString());
            case PRODUCT_ACTION -> payload(envelope, PRODUCT_ACTION, event.getProductAction().toByteString());
            case COMMUNICATION -> payload(envelope, COMMUNICATION, event.getCommunication().toByteString());
            case SALES_ASSISTANCE_REQUESTED -> payload(envelope, SALES_ASSISTANCE,
                    event.getSalesAssistanceRequested().toByteString());
            case PLAN_LIMIT_REACHED -> payload(envelope, PLAN_LIMIT, event.getPlanLimitReached().toByteString());
            case OUTCOME -> payload(envelope, OUTCOME, event.getOutcome().toByteString());
            case EXCHANGE_RATE -> payload(envelope, EXCHANGE_RATE, event.getExchangeRate().toByteString());
            case KIND_NOT_SET -> throw new IllegalArgumentException("an event without a kind cannot be stored");
        }
        return envelope.build();
    }

    private static ByteString typeOf(Event event) {
        return switch (event.getKindCase()) {
            case ACCOUNT_PROFILED -> ACCOUNT_PROFILED;
            case USER_IDENTIFIED -> USER_IDENTIFIED;
            case PRODUCT_ACTION -> PRODUCT_ACTION;
            case COMMUNICATION -> COMMUNICATION;
            case SALES_ASSISTANCE_REQUESTED -> SALES_ASSISTANCE;
            case PLAN_LIMIT_REACHED -> PLAN_LIMIT;
            case OUTCOME -> OUTCOME;
            case EXCHANGE_RATE -> EXCHANGE_RATE;
            case KIND_NOT_SET -> throw new IllegalArgumentException("an event without a kind cannot be stored");
        };
    }

    private static void payload(EventEnvelope.Builder envelope, ByteString type, ByteString payload) {
        envelope.setTypeBytes(type).setPayload(payload);
    }

    private static ByteString typeName(Descriptors.Descriptor type) {
        return ByteString.copyFromUtf8(type.getFullName());
    }
}
