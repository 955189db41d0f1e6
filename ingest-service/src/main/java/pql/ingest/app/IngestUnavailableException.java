package pql.ingest.app;

/**
 * The event store cannot be written now. Each account stream's append is atomic, so no stream
 * holds part of the call; retrying with the same event ids is always safe (gRPC: UNAVAILABLE).
 */
public class IngestUnavailableException extends RuntimeException {

    public IngestUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
