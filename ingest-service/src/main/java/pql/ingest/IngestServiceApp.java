package pql.ingest;

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
 * ingest-service in its own process: pql.v1.IngestService on a Netty gRPC server, health checks
 * (event store writable) and metrics (events by result, append latency, buffer in use) on the
 * admin port. Run with {@code java -cp ... pql.ingest.IngestServiceApp server ingest-service/config.yml}.
 */
public class IngestServiceApp extends Application<IngestServiceConfig> {

    private volatile ManagedGrpcServer grpcServer;
    private volatile IngestModule module;

    public static void main(String[] args) throws Exception {
        new IngestServiceApp().run(args);
    }

    @Override
    public String getName() {
        return "pql-ingest-service";
    }

    @Override
    public void initialize(Bootstrap<IngestServiceConfig> bootstrap) {
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
    }

    @Override
    public void run(IngestServiceConfig config, Environment environment) {
        Telemetry telemetry = Telemetry.create(getName(), config.getTelemetry());
        EventStore store = config.getEventStore().open();
        IngestModule ingest = new IngestModule(config.getIngest(), store, telemetry, Clock.systemUTC());
        // Dropwizard stops managed objects in reverse order: the gRPC server drains first, then the
        // module's executors stop, then the store and telemetry close.
        environment.lifecycle().manage(new Managed() {
            @Override
            public void start() throws Exception {
                ingest.start();
            }

            @Override
            public void stop() throws Exception {
                try {
                    ingest.close();
                } finally {
                    store.close();
                    telemetry.close();
                }
            }
        });
        ingest.healthChecks().forEach(environment.healthChecks()::register);
        environment.metrics().register("pql.ingest", ingest.metrics());
        ManagedGrpcServer server = new ManagedGrpcServer("ingest", config.getGrpc(), ingest.services(),
                List.of(telemetry.serverInterceptor()));
        environment.lifecycle().manage(server);
        this.module = ingest;
        this.grpcServer = server;
    }

    /** The running gRPC server (after {@code run}); its port is useful with port 0. */
    public ManagedGrpcServer grpcServer() {
        return grpcServer;
    }

    public IngestModule module() {
        return module;
    }
}
