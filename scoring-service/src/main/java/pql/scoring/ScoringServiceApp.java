package pql.scoring;

import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import java.time.Clock;
import java.util.List;
import pql.common.grpc.ManagedGrpcServer;
import pql.common.telemetry.Telemetry;
import pql.eventstore.EventStore;

/**
 * scoring-service as its own process: the module on a Netty gRPC server (default port 50062), health
 * checks (event store, projection lag) and metrics on the admin port. Run with
 * {@code java -cp ... pql.scoring.ScoringServiceApp server scoring-service/config.yml}.
 */
public class ScoringServiceApp extends Application<ScoringServiceConfig> {

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
    public void initialize(Bootstrap<ScoringServiceConfig> bootstrap) {
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
    }

    @Override
    public void run(ScoringServiceConfig config, Environment environment) {
        Telemetry telemetry = Telemetry.create(getName(), config.getTelemetry());
        EventStore store = config.getEventStore().open();
        ScoringModule scoring = new ScoringModule(config.getScoring(), store, telemetry, Clock.systemUTC());
        // Dropwizard stops managed objects in reverse order: gRPC drains, then the module, then the store.
        environment.lifecycle().manage(new Managed() {
            @Override
            public void stop() {
                store.close();
                telemetry.close();
            }
        });
        environment.lifecycle().manage(new Managed() {
            @Override
            public void start() throws Exception {
                scoring.start();
            }

            @Override
            public void stop() throws Exception {
                scoring.close();
            }
        });
        ManagedGrpcServer server = new ManagedGrpcServer(scoring.name(), config.getGrpc(), scoring.services(),
                List.of(telemetry.serverInterceptor()));
        environment.lifecycle().manage(server);
        scoring.healthChecks().forEach(environment.healthChecks()::register);
        scoring.registerMetrics(environment.metrics());
        module = scoring;
        grpcServer = server;
    }

    /** The running module (after {@code run}), for tests. */
    public ScoringModule module() {
        return module;
    }

    public ManagedGrpcServer grpcServer() {
        return grpcServer;
    }
}
