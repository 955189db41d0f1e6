package pql.eventstore;

/**
 * The store's write queue is full: it is behind and refuses more work rather than grow without
 * bound. Nothing of the refused request was stored; retry later (gRPC: RESOURCE_EXHAUSTED).
 */
public class EventStoreOverloadedException extends RuntimeException {

    public EventStoreOverloadedException(String message) {
        super(message);
    }
}
