package pql.forecast.app;

/** A use case could not answer; the kind says how a caller should read it. */
public final class ForecastException extends RuntimeException {

    public enum Kind {
        /** Unknown account or definition version. */
        NOT_FOUND,
        /** scoring-service cannot be reached (or timed out). */
        UNAVAILABLE,
        /** The version exists but scoring does not serve its scores (no projection). */
        FAILED_PRECONDITION,
        /** scoring-service refused for load (e.g. another as-of export is running). */
        RESOURCE_EXHAUSTED,
        /** Anything else: a bug or a misconfiguration, not the caller's fault. */
        INTERNAL
    }

    private final Kind kind;

    public ForecastException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ForecastException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
