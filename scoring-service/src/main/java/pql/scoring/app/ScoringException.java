package pql.scoring.app;

import java.util.List;
import pql.scoring.domain.definition.Violation;

/** Why a use case refused a request; the gRPC layer maps each kind to its status code. */
public abstract class ScoringException extends RuntimeException {

    protected ScoringException(String message) {
        super(message);
    }

    /** The request is malformed: every problem, field by field (INVALID_ARGUMENT). */
    public static final class InvalidRequest extends ScoringException {
        private final List<Violation> violations;

        public InvalidRequest(List<Violation> violations) {
            super("invalid request: " + violations);
            this.violations = List.copyOf(violations);
        }

        public static InvalidRequest of(String field, String message) {
            return new InvalidRequest(List.of(new Violation(field, message)));
        }

        public List<Violation> violations() {
            return violations;
        }
    }

    /** NOT_FOUND: an unknown account or definition version. */
    public static final class NotFound extends ScoringException {
        public NotFound(String message) {
            super(message);
        }
    }

    /** FAILED_PRECONDITION: the system is not in the state the operation needs. */
    public static final class FailedPrecondition extends ScoringException {
        private final String reason;

        public FailedPrecondition(String message) {
            this(message, null);
        }

        /** @param reason a stable ErrorInfo reason for callers to act on; null for the generic one */
        public FailedPrecondition(String message, String reason) {
            super(message);
            this.reason = reason;
        }

        /** Null for the generic FAILED_PRECONDITION reason. */
        public String reason() {
            return reason;
        }
    }

    /** RESOURCE_EXHAUSTED: too much at once; retry later. */
    public static final class ResourceExhausted extends ScoringException {
        public ResourceExhausted(String message) {
            super(message);
        }
    }
}
