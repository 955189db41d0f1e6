package pql.ingest.app;

import com.google.protobuf.ByteString;
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

    private static final String ACCOUNT_PROFILED = AccountProfiled.getDescriptor().getFullName();
    private static final String USER_IDENTIFIED = UserIdentified.getDescriptor().getFullName();
    private static final String PRODUCT_ACTION = ProductAction.getDescriptor().getFullName();
    private static final String COMMUNICATION = Communication.getDescriptor().getFullName();
    private static final String SALES_ASSISTANCE = SalesAssistanceRequested.getDescriptor().getFullName();
    private static final String PLAN_LIMIT = PlanLimitReached.getDescriptor().getFullName();
    private static final String OUTCOME = Outcome.getDescriptor().getFullName();
    private static final String EXCHANGE_RATE = pql.v1.ExchangeRate.getDescriptor().getFullName();

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
        if (!traceContext.getTraceparent().isEmpty()) {
            envelope.setTraceContext(traceContext);
        }
        if (payload != null) {
            return envelope.setType(typeOf(event)).setPayload(payload).build();
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

    private static String typeOf(Event event) {
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

    private static void payload(EventEnvelope.Builder envelope, String type, ByteString payload) {
        envelope.setType(type).setPayload(payload);
    }
}
