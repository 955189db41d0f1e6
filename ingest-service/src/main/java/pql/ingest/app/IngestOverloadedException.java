package pql.ingest.app;

/**
 * The service refuses the call rather than buffer without bound: the events already in flight
 * fill the budget, or the store's own write queue is full. Nothing of the call was stored; the
 * client retries later with the same event ids (gRPC: RESOURCE_EXHAUSTED).
 */
public class IngestOverloadedException extends RuntimeException {

    public IngestOverloadedException(String message) {
        super(message);
    }
}
