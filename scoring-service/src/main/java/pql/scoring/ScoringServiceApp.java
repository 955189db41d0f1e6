package pql.scoring;

import io.dropwizard.core.setup.Environment;
import java.time.Clock;
import pql.common.grpc.ManagedGrpcServer;
import pql.common.service.ServiceApplication;
import pql.common.service.ServiceLifecycle;
import pql.eventstore.EventStore;

/**
 * scoring-service as its own process: the module on a Netty gRPC server (default port 50062), health
 * checks (event store, projection lag) and metrics on the admin port. Run with
 * {@code java -cp ... pql.scoring.ScoringServiceApp server scoring-service/config.yml}.
 */
public class ScoringServiceApp extends ServiceApplication<ScoringServiceConfig> {

    private volatile ScoringModule module;
    private volatile ManagedGrpcServer grpcServer;

    public static void main(String[] args) throws Exception {
        new ScoringServiceApp().run(args);
    }

    @Override
    public String getName() {
        return "pql-scoring-service";
    }

    @Override
    protected void wire(ScoringServiceConfig config, Environment environment, ServiceLifecycle lifecycle) {
        EventStore store = lifecycle.opened(config.getEventStore().open());
        ScoringModule scoring = new ScoringModule(config.getScoring(), store, lifecycle.telemetry(), Clock.systemUTC());
        scoring.healthChecks().forEach(environment.healthChecks()::register);
        scoring.registerMetrics(environment.metrics());
        this.grpcServer = lifecycle.serve(scoring, config.getGrpc());
        this.module = scoring;
    }

    /** The running module (after {@code run}), for tests. */
    public ScoringModule module() {
        return module;
    }

    public ManagedGrpcServer grpcServer() {
        return grpcServer;
    }
}
