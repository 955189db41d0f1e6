package pql.gateway.http;

import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.util.concurrent.TimeUnit;
import pql.gateway.auth.Caller;
import pql.gateway.proxy.ForwardedHeaders;
import pql.v1.DefinitionServiceGrpc;
import pql.v1.ForecastServiceGrpc;
import pql.v1.MetricsServiceGrpc;
import pql.v1.ScoringServiceGrpc;

/**
 * Stubs the HTTP resources call the backends with: each carries the HTTP caller's key name as
 * {@code pql-principal} (as the gRPC proxy does) and a deadline.
 */
public final class BackendStubs {

    private final Channel scoring;
    private final Channel forecast;
    private final long deadlineMillis;
    private final long exportDeadlineMillis;

    public BackendStubs(Channel scoring, Channel forecast, long deadlineMillis, long exportDeadlineMillis) {
        this.scoring = scoring;
        this.forecast = forecast;
        this.deadlineMillis = deadlineMillis;
        this.exportDeadlineMillis = exportDeadlineMillis;
    }

    public ScoringServiceGrpc.ScoringServiceBlockingStub scoring(Caller caller) {
        return as(caller, ScoringServiceGrpc.newBlockingStub(scoring), deadlineMillis);
    }

    /** For streams that stay open (transitions): the caller cancels them. */
    public ScoringServiceGrpc.ScoringServiceStub scoringAsync(Caller caller) {
        return as(caller, ScoringServiceGrpc.newStub(scoring), deadlineMillis);
    }

    /** The scoring definitions (served next to scoring): the dashboard draws their thresholds. */
    public DefinitionServiceGrpc.DefinitionServiceBlockingStub definitions(Caller caller) {
        return as(caller, DefinitionServiceGrpc.newBlockingStub(scoring), deadlineMillis);
    }

    public MetricsServiceGrpc.MetricsServiceBlockingStub metrics(Caller caller) {
        return as(caller, MetricsServiceGrpc.newBlockingStub(scoring), deadlineMillis);
    }

    public ForecastServiceGrpc.ForecastServiceBlockingStub forecast(Caller caller) {
        return as(caller, ForecastServiceGrpc.newBlockingStub(forecast), deadlineMillis);
    }

    /** With the long deadline of exports. */
    public ForecastServiceGrpc.ForecastServiceBlockingStub forecastExport(Caller caller) {
        return as(caller, ForecastServiceGrpc.newBlockingStub(forecast), exportDeadlineMillis);
    }

    private static <S extends AbstractStub<S>> S as(Caller caller, S stub, long deadline) {
        Metadata headers = new Metadata();
        headers.put(ForwardedHeaders.PRINCIPAL, caller.name());
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(deadline, TimeUnit.MILLISECONDS);
    }
}
