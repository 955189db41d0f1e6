package pql.gateway.segment;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import pql.gateway.auth.Caller;
import pql.gateway.proxy.ForwardedHeaders;
import pql.v1.EventResult;
import pql.v1.IngestBatchRequest;
import pql.v1.IngestBatchResponse;
import pql.v1.IngestServiceGrpc;

/**
 * Stores mapped Segment messages the way every other event is stored: IngestBatch on ingest-service
 * (its validation, de-duplication and durable append), in chunks within IngestBatch's limits, one
 * after the other, and returns only when every chunk is durable. Whole-call failures (store down,
 * buffer full) propagate, so the sender gets a 5xx / 429 and retries; per-item rejections are
 * counted and logged for {@code pql ingest-errors}.
 */
public final class SegmentIngest {

    /** IngestBatch takes up to 2,000 events and 1 MiB; this leaves room for the request's framing. */
    static final int MAX_EVENTS_PER_CALL = 2000;
    static final int MAX_BYTES_PER_CALL = 1000 * 1024;
    private static final String EVENT_ID_REUSED = "EVENT_ID_REUSED";

    private final Channel ingest;
    private final long deadlineMillis;
    private final IngestErrorLog errors;
    private final Counter accepted;
    private final Counter duplicates;
    private final Counter rejected;
    private final Counter ignored;
    private final Counter reusedIds;

    public SegmentIngest(Channel ingest, long deadlineMillis, IngestErrorLog errors, MetricRegistry metrics) {
        this.ingest = ingest;
        this.deadlineMillis = deadlineMillis;
        this.errors = errors;
        this.accepted = metrics.counter("pql.segment.messages.accepted");
        this.duplicates = metrics.counter("pql.segment.messages.duplicates");
        this.rejected = metrics.counter("pql.segment.messages.rejected");
        this.ignored = metrics.counter("pql.segment.messages.ignored");
        this.reusedIds = metrics.counter("pql.segment.messages.reused_ids");
    }

    /** What happened to a request's messages. */
    public record Counts(int accepted, int duplicates, int rejected, int ignored) {
    }

    public Counts ingest(Caller caller, List<SegmentMessage> messages, Instant receivedAt) {
        List<SegmentMessage.ToIngest> toIngest = new ArrayList<>(messages.size());
        int ignoredCount = 0;
        int rejectedCount = 0;
        for (SegmentMessage message : messages) {
            if (message instanceof SegmentMessage.ToIngest item) {
                toIngest.add(item);
            } else if (message instanceof SegmentMessage.Rejected item) {
                rejectedCount++;
                log(caller, receivedAt, item.about(), item.code(), item.reason());
            } else {
                ignoredCount++;
            }
        }
        // counted as each step completes: when a later chunk fails (store down), the earlier ones
        // are stored and counted, and the sender's retry of the request counts them as duplicates
        rejected.inc(rejectedCount);
        ignored.inc(ignoredCount);
        int acceptedCount = 0;
        int duplicateCount = 0;
        int start = 0;
        while (start < toIngest.size()) {
            IngestBatchRequest.Builder request = IngestBatchRequest.newBuilder();
            int bytes = 0;
            int end = start;
            while (end < toIngest.size() && end - start < MAX_EVENTS_PER_CALL) {
                int size = toIngest.get(end).event().getSerializedSize() + 8;
                if (end > start && bytes + size > MAX_BYTES_PER_CALL) {
                    break;
                }
                bytes += size;
                request.addEvents(toIngest.get(end).event());
                end++;
            }
            IngestBatchResponse response = stub(caller).ingestBatch(request.build());
            acceptedCount += response.getAccepted();
            duplicateCount += response.getDuplicates();
            accepted.inc(response.getAccepted());
            duplicates.inc(response.getDuplicates());
            for (EventResult result : response.getResultsList()) {
                if (result.getStatus() == EventResult.Status.STATUS_REJECTED && EVENT_ID_REUSED.equals(codeOf(result.getError()))) {
                    // Segment de-duplicates by messageId alone: the first message stays, later ones are
                    // duplicates. A retry of a message without timestamp is the usual case (it happened
                    // "when received", and that moved); the counter shows any other.
                    duplicateCount++;
                    duplicates.inc();
                    reusedIds.inc();
                } else if (result.getStatus() == EventResult.Status.STATUS_REJECTED) {
                    rejectedCount++;
                    rejected.inc();
                    SegmentMessage.ToIngest item = toIngest.get(start + result.getIndex());
                    log(caller, receivedAt, item.about(), codeOf(result.getError()), reasonOf(result.getError()));
                }
            }
            start = end;
        }
        return new Counts(acceptedCount, duplicateCount, rejectedCount, ignoredCount);
    }

    private void log(Caller caller, Instant receivedAt, SegmentMessage.About about, String code, String reason) {
        errors.add(new IngestErrorLog.Entry(receivedAt, "segment", caller.name(), about.messageId(), about.type(), about.eventName(),
                about.accountId(), code, reason));
    }

    private IngestServiceGrpc.IngestServiceBlockingStub stub(Caller caller) {
        Metadata headers = new Metadata();
        headers.put(ForwardedHeaders.PRINCIPAL, caller.name());
        return IngestServiceGrpc.newBlockingStub(ingest)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS);
    }

    private static String codeOf(com.google.rpc.Status status) {
        for (Any detail : status.getDetailsList()) {
            if (detail.is(ErrorInfo.class)) {
                try {
                    return detail.unpack(ErrorInfo.class).getReason();
                } catch (InvalidProtocolBufferException e) {
                    break;
                }
            }
        }
        return io.grpc.Status.fromCodeValue(status.getCode()).getCode().name();
    }

    /** The status message and each field violation ("product_action.action: ..."), on one line. */
    static String reasonOf(com.google.rpc.Status status) {
        List<String> parts = new ArrayList<>();
        for (Any detail : status.getDetailsList()) {
            if (detail.is(BadRequest.class)) {
                try {
                    detail.unpack(BadRequest.class).getFieldViolationsList()
                            .forEach(violation -> parts.add(violation.getField() + ": " + violation.getDescription()));
                } catch (InvalidProtocolBufferException e) {
                    parts.add("(undecodable detail)");
                }
            }
        }
        String violations = parts.stream().collect(Collectors.joining("; "));
        if (violations.isEmpty()) {
            return status.getMessage();
        }
        return status.getMessage().isEmpty() ? violations : status.getMessage() + ": " + violations;
    }
}
