package pql.ingest.app;

import java.time.Duration;

/**
 * The service refuses the call rather than buffer without bound: no room in the budget came
 * within the admission wait, or the store's own write queue is full. Nothing of the call was
 * stored; the client retries after {@link #retryAfter()} with the same event ids (gRPC:
 * RESOURCE_EXHAUSTED with google.rpc.RetryInfo).
 */
public class IngestOverloadedException extends RuntimeException {

    private final Duration retryAfter;

    public IngestOverloadedException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    /** When a retry has a fair chance: the time the store needs to drain what it holds. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
