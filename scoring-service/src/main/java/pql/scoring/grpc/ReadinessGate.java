package pql.scoring.grpc;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Set;
import pql.common.grpc.GrpcErrors;
import pql.scoring.app.ProjectionReadiness;
import pql.scoring.app.ProjectionRollout;
import pql.v1.DefinitionServiceGrpc;
import pql.v1.MetricsServiceGrpc;
import pql.v1.ScoringServiceGrpc;

/**
 * Refuses the reads that evaluate the serving projection while it is not ready (segments still
 * being restored after a start): UNAVAILABLE, reason {@value #REASON}, with the projection's own
 * account of how far it got, rather than an answer that leaves out the accounts of a segment not
 * back yet. A client retries (UNAVAILABLE is the code gRPC clients treat as retryable); the
 * servers' grpc.health.v1 says NOT_SERVING meanwhile. Once ready, a read costs one volatile read
 * here.
 *
 * <p>Not gated: definitions (their own log), starting, following and promoting rescores (their
 * own projections), and WatchPqlTransitions, which sends live transitions, not the state.
 */
public final class ReadinessGate implements ServerInterceptor {

    /** The ErrorInfo reason of a read refused while the projection is restoring. */
    public static final String REASON = "SCORING_RESTORING";

    static final Set<String> GATED = Set.of(
            ScoringServiceGrpc.getGetAccountScoreMethod().getFullMethodName(),
            ScoringServiceGrpc.getListAccountScoresMethod().getFullMethodName(),
            ScoringServiceGrpc.getStreamAccountScoresMethod().getFullMethodName(),
            MetricsServiceGrpc.getGetPqlMetricsMethod().getFullMethodName(),
            DefinitionServiceGrpc.getDiffRescoreMethod().getFullMethodName(),
            DefinitionServiceGrpc.getBacktestDefinitionMethod().getFullMethodName());

    private final ProjectionRollout projections;

    public ReadinessGate(ProjectionRollout projections) {
        this.projections = projections;
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
            ServerCallHandler<ReqT, RespT> next) {
        if (projections.isReady() || !GATED.contains(call.getMethodDescriptor().getFullMethodName())) {
            return next.startCall(call, headers);
        }
        ProjectionReadiness.Status readiness = projections.readiness();
        if (readiness.ready()) {
            return next.startCall(call, headers);
        }
        StatusRuntimeException refusal = GrpcErrors.error(Status.Code.UNAVAILABLE, REASON,
                "scoring is not ready: " + readiness.message());
        call.close(refusal.getStatus(), refusal.getTrailers());
        return new ServerCall.Listener<>() {
        };
    }
}
