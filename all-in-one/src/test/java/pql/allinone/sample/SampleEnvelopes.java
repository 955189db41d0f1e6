package pql.allinone.sample;

import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.List;
import pql.eventstore.AppendRequest;
import pql.eventstore.EventStore;
import pql.eventstore.ExpectedVersion;
import pql.eventstore.StreamIds;
import pql.v1.Event;
import pql.v1.EventEnvelope;

/** Sample events as ingest-service stores them, for tests that put the sample straight into a store. */
final class SampleEnvelopes {

    private SampleEnvelopes() {
    }

    /** The envelope ingest-service stores for an event (type = payload's full name, schema revision 1). */
    static EventEnvelope envelope(Event event) {
        Message payload = switch (event.getKindCase()) {
            case ACCOUNT_PROFILED -> event.getAccountProfiled();
            case USER_IDENTIFIED -> event.getUserIdentified();
            case PRODUCT_ACTION -> event.getProductAction();
            case COMMUNICATION -> event.getCommunication();
            case SALES_ASSISTANCE_REQUESTED -> event.getSalesAssistanceRequested();
            case PLAN_LIMIT_REACHED -> event.getPlanLimitReached();
            case OUTCOME -> event.getOutcome();
            case EXCHANGE_RATE -> event.getExchangeRate();
            case KIND_NOT_SET -> throw new IllegalArgumentException("no kind");
        };
        return EventEnvelope.newBuilder().setEventId(event.getEventId()).setType(payload.getDescriptorForType().getFullName())
                .setAccountId(event.getAccountId()).setOccurredAt(event.getOccurredAt()).setRecordedAt(event.getOccurredAt())
                .setPayload(payload.toByteString()).setSchemaRevision(1).build();
    }

    /** Appends every event to its account's stream, in batches. */
    static void appendAll(EventStore store, List<Event> events) {
        List<AppendRequest> batch = new ArrayList<>();
        for (Event event : events) {
            batch.add(new AppendRequest(StreamIds.forAccount(event.getAccountId()), ExpectedVersion.ANY, List.of(envelope(event))));
            if (batch.size() == 2000) {
                store.append(batch);
                batch.clear();
            }
        }
        store.append(batch);
    }
}
