package pql.ingest.grpc;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pql.ingest.app.IngestOverloadedException;
import pql.ingest.app.IngestUnavailableException;

/** Whole-call failures as gRPC statuses. */
final class IngestStatuses {

    private static final Logger LOG = LoggerFactory.getLogger(IngestStatuses.class);

    private IngestStatuses() {
    }

    static StatusRuntimeException of(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof StatusRuntimeException status) {
            return status;
        }
        if (cause instanceof StatusException status) {
            return status.getStatus().asRuntimeException(status.getTrailers());
        }
        if (cause instanceof IngestOverloadedException) {
            return Status.RESOURCE_EXHAUSTED.withDescription(cause.getMessage()).asRuntimeException();
        }
        if (cause instanceof IngestUnavailableException) {
            return Status.UNAVAILABLE.withDescription(cause.getMessage()).asRuntimeException();
        }
        // a bug: say so without echoing what the client sent
        LOG.error("ingest call failed unexpectedly", cause);
        return Status.INTERNAL.withDescription("internal error").asRuntimeException();
    }
}
