package pql.ingest.grpc;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import pql.common.grpc.FieldViolations;
import pql.common.grpc.GrpcErrors;
import pql.ingest.app.BatchOutcome;
import pql.ingest.app.ItemResult;
import pql.ingest.app.PreparedBatch;
import pql.ingest.validation.EventLimits;
import pql.ingest.validation.Violation;
import pql.v1.Event;
import pql.v1.EventResult;
import pql.v1.IngestBatchResponse;
import pql.v1.IngestStreamResponse;
import java.util.List;

/** Maps use-case outcomes to the API's messages. */
final class EventResults {

    private EventResults() {
    }

    static EventResult of(int index, Event event, ItemResult result) {
        EventResult.Builder builder = EventResult.newBuilder().setIndex(index).setEventId(event.getEventId());
        if (result instanceof ItemResult.Accepted accepted) {
            builder.setStatus(EventResult.Status.STATUS_ACCEPTED)
                    .setGlobalPosition(accepted.globalPosition())
                    .setStreamVersion(accepted.streamVersion());
        } else if (result instanceof ItemResult.Duplicate duplicate) {
            builder.setStatus(EventResult.Status.STATUS_DUPLICATE)
                    .setGlobalPosition(duplicate.globalPosition())
                    .setStreamVersion(duplicate.streamVersion());
        } else if (result instanceof ItemResult.IdReused reused) {
            builder.setStatus(EventResult.Status.STATUS_REJECTED)
                    .setGlobalPosition(reused.globalPosition())
                    .setStreamVersion(reused.streamVersion())
                    .setError(idReused(event, reused));
        } else if (result instanceof ItemResult.Rejected rejected) {
            // paths relative to the item, as the API promises
            builder.setStatus(EventResult.Status.STATUS_REJECTED)
                    .setError(violations(rejected, "").toStatus("invalid event"));
        }
        return builder.build();
    }

    /**
     * ALREADY_EXISTS with ErrorInfo {@value IngestStatuses#EVENT_ID_REUSED}: the account holds this
     * event id with other content. The metadata says where the stored event is.
     */
    static com.google.rpc.Status idReused(Event event, ItemResult.IdReused reused) {
        ErrorInfo info = GrpcErrors.errorInfo(IngestStatuses.EVENT_ID_REUSED).toBuilder()
                .putMetadata("event_id", event.getEventId())
                .putMetadata("account_id", event.getAccountId())
                .putMetadata("stream_version", Long.toString(reused.streamVersion()))
                .putMetadata("global_position", Long.toString(reused.globalPosition()))
                .build();
        return com.google.rpc.Status.newBuilder()
                .setCode(Code.ALREADY_EXISTS_VALUE)
                .setMessage("event id " + event.getEventId() + " of account " + event.getAccountId()
                        + " is already stored with other content (kind, occurred_at or payload); the stored event is"
                        + " unchanged: send new data under a new event id")
                .addDetails(Any.pack(info))
                .build();
    }

    static FieldViolations violations(ItemResult.Rejected rejected, String prefix) {
        FieldViolations violations = new FieldViolations();
        FieldViolations at = prefix.isEmpty() ? violations : violations.at(prefix);
        for (Violation violation : rejected.violations()) {
            at.add(violation.field(), violation.description());
        }
        return violations;
    }

    static IngestBatchResponse batchResponse(List<Event> events, BatchOutcome outcome) {
        IngestBatchResponse.Builder response = IngestBatchResponse.newBuilder()
                .setAccepted(outcome.accepted())
                .setDuplicates(outcome.duplicates())
                .setRejected(outcome.rejected());
        for (int i = 0; i < events.size(); i++) {
            response.addResults(of(i, events.get(i), outcome.results().get(i)));
        }
        return response.build();
    }

    /** A validate-only batch: VALID or REJECTED per item, nothing stored. */
    static IngestBatchResponse validationResponse(List<Event> events, PreparedBatch batch) {
        IngestBatchResponse.Builder response = IngestBatchResponse.newBuilder();
        for (int i = 0; i < events.size(); i++) {
            ItemResult.Rejected rejected = batch.rejection(i);
            if (rejected == null) {
                response.addResults(EventResult.newBuilder().setIndex(i).setEventId(events.get(i).getEventId())
                        .setStatus(EventResult.Status.STATUS_VALID));
                response.setValid(response.getValid() + 1);
            } else {
                response.addResults(of(i, events.get(i), rejected));
                response.setRejected(response.getRejected() + 1);
            }
        }
        return response.build();
    }

    static IngestStreamResponse streamResponse(long sequence, List<Event> events, BatchOutcome outcome) {
        IngestStreamResponse.Builder response = IngestStreamResponse.newBuilder()
                .setSequence(sequence)
                .setAccepted(outcome.accepted())
                .setDuplicates(outcome.duplicates())
                .setRejected(outcome.rejected());
        for (int i = 0; i < events.size(); i++) {
            response.addResults(of(i, events.get(i), outcome.results().get(i)));
        }
        return response.build();
    }

    /** What is wrong with a batch or chunk as a whole (count, size); empty when fine. */
    static FieldViolations batchShape(int eventCount, int serializedBytes) {
        FieldViolations violations = new FieldViolations();
        if (eventCount == 0) {
            violations.add("events", "at least one event is required");
        } else if (eventCount > EventLimits.MAX_BATCH_EVENTS) {
            violations.add("events", "at most " + EventLimits.MAX_BATCH_EVENTS + " events per call, not " + eventCount);
        }
        if (serializedBytes > EventLimits.MAX_BATCH_BYTES) {
            violations.add("events", "at most " + EventLimits.MAX_BATCH_BYTES + " bytes (1 MiB) per call, not "
                    + serializedBytes);
        }
        return violations;
    }
}
