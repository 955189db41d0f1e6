package pql.scoring.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import pql.common.grpc.ErrorMapping;
import pql.common.grpc.FieldViolations;
import pql.common.grpc.GrpcErrors;
import pql.eventstore.EventStoreUnavailableException;
import pql.scoring.app.ScoringException;
import pql.scoring.domain.definition.Violation;

/** How scoring's refusals read on the wire: each {@link ScoringException} kind as its status. */
final class ScoringStatuses {

    /** Shared by every scoring RPC (immutable). */
    static final ErrorMapping ERRORS = ErrorMapping.builder("scoring")
            .map(ScoringException.InvalidRequest.class, invalid -> invalidArgument(invalid.violations(), ""))
            .map(ScoringException.NotFound.class, e -> GrpcErrors.notFound(e.getMessage()))
            .map(ScoringException.FailedPrecondition.class, e -> e.reason() == null
                    ? GrpcErrors.failedPrecondition(e.getMessage())
                    : GrpcErrors.error(Status.Code.FAILED_PRECONDITION, e.reason(), e.getMessage()))
            .map(ScoringException.ResourceExhausted.class, e -> GrpcErrors.resourceExhausted(e.getMessage()))
            .map(EventStoreUnavailableException.class, e -> GrpcErrors.error(Status.Code.UNAVAILABLE,
                    "EVENT_STORE_UNAVAILABLE", "the event store is unavailable"))
            .build();

    private ScoringStatuses() {
    }

    /** INVALID_ARGUMENT with every violation, each field path under {@code prefix} ("" for none). */
    static StatusRuntimeException invalidArgument(List<Violation> violations, String prefix) {
        FieldViolations found = new FieldViolations();
        FieldViolations at = prefix.isEmpty() ? found : found.at(prefix);
        violations.forEach(v -> at.add(v.field(), v.message()));
        return found.toException("invalid request");
    }
}
