package pql.scoring.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pql.common.grpc.FieldViolations;
import pql.common.grpc.GrpcErrors;
import pql.scoring.app.ScoringException;
import pql.scoring.domain.definition.Violation;

/** Runs a unary call and maps refusals to their gRPC status (never leaking internals). */
final class Errors {

    private static final Logger LOG = LoggerFactory.getLogger(Errors.class);

    private Errors() {
    }

    static <T> void unary(StreamObserver<T> observer, Supplier<T> call) {
        T response;
        try {
            response = call.get();
        } catch (RuntimeException e) {
            observer.onError(toStatus(e));
            return;
        }
        observer.onNext(response);
        observer.onCompleted();
    }

    static StatusRuntimeException toStatus(Throwable error) {
        if (error instanceof StatusRuntimeException status) {
            return status;
        }
        if (error instanceof ScoringException.InvalidRequest invalid) {
            return invalidArgument(invalid.violations(), "");
        }
        if (error instanceof ScoringException.NotFound) {
            return GrpcErrors.notFound(error.getMessage());
        }
        if (error instanceof ScoringException.FailedPrecondition) {
            return GrpcErrors.failedPrecondition(error.getMessage());
        }
        if (error instanceof ScoringException.ResourceExhausted) {
            return GrpcErrors.resourceExhausted(error.getMessage());
        }
        if (error instanceof pql.eventstore.EventStoreUnavailableException) {
            return GrpcErrors.unavailable("the event store is unavailable");
        }
        LOG.error("unexpected failure", error);
        return Status.INTERNAL.withDescription("internal error").asRuntimeException();
    }

    static StatusRuntimeException invalidArgument(List<Violation> violations, String prefix) {
        FieldViolations found = new FieldViolations();
        FieldViolations at = prefix.isEmpty() ? found : found.at(prefix);
        violations.forEach(v -> at.add(v.field(), v.message()));
        return found.toException("invalid request");
    }
}
