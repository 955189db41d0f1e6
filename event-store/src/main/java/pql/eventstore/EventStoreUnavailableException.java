package pql.eventstore;

/**
 * The store cannot be reached or refuses work right now. An append that fails with it is
 * never half-applied: each stream's append is atomic. Whether it was applied at all may be
 * unknown (a lost acknowledgement), which is why appends are idempotent on event id: retrying
 * the same events is always safe.
 */
public class EventStoreUnavailableException extends RuntimeException {

    public EventStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public EventStoreUnavailableException(String message) {
        super(message);
    }
}
