package pql.forecast.grpc;

import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pql.common.grpc.ErrorMapping;
import pql.common.grpc.GrpcErrors;
import pql.forecast.app.ForecastException;

/** How forecast's failures read on the wire: each {@link ForecastException} kind as its status. */
final class ForecastStatuses {

    private static final Logger LOG = LoggerFactory.getLogger(ForecastStatuses.class);

    /** Shared by every forecast RPC (immutable). */
    static final ErrorMapping ERRORS = ErrorMapping.builder("forecast")
            .map(ForecastException.class, ForecastStatuses::of)
            .build();

    private ForecastStatuses() {
    }

    private static io.grpc.StatusRuntimeException of(ForecastException failure) {
        return switch (failure.kind()) {
            case NOT_FOUND -> GrpcErrors.notFound(failure.getMessage());
            case UNAVAILABLE -> GrpcErrors.error(Status.Code.UNAVAILABLE, "SCORING_UNAVAILABLE", failure.getMessage());
            case FAILED_PRECONDITION -> GrpcErrors.failedPrecondition(failure.getMessage());
            case RESOURCE_EXHAUSTED -> GrpcErrors.resourceExhausted(failure.getMessage());
            case INTERNAL -> {
                // a bug or a misconfiguration: worth a log line; the message names no internals
                LOG.error("forecast failed", failure);
                yield GrpcErrors.error(Status.Code.INTERNAL, GrpcErrors.INTERNAL, failure.getMessage());
            }
        };
    }
}
