package pql.ingest.grpc;

import io.grpc.Status;
import pql.common.grpc.ErrorMapping;
import pql.common.grpc.GrpcErrors;
import pql.ingest.app.IngestOverloadedException;
import pql.ingest.app.IngestUnavailableException;

/** Whole-call failures as gRPC statuses: the use case's refusals, everything else INTERNAL. */
final class IngestStatuses {

    /** An event id sent again with other content than the stored event's (ALREADY_EXISTS). */
    static final String EVENT_ID_REUSED = "EVENT_ID_REUSED";

    /**
     * No room for the call within the admission wait, or the store's queue is full
     * (RESOURCE_EXHAUSTED with google.rpc.RetryInfo): nothing of it was stored.
     */
    static final String INGEST_OVERLOADED = "INGEST_OVERLOADED";

    /** Shared by every ingest call (immutable). */
    static final ErrorMapping ERRORS = ErrorMapping.builder("ingest")
            .map(IngestOverloadedException.class, e -> GrpcErrors.error(Status.Code.RESOURCE_EXHAUSTED, INGEST_OVERLOADED,
                    e.getMessage(), e.retryAfter()))
            .map(IngestUnavailableException.class, e -> GrpcErrors.error(Status.Code.UNAVAILABLE, "EVENT_STORE_UNAVAILABLE",
                    e.getMessage()))
            .build();

    private IngestStatuses() {
    }
}
