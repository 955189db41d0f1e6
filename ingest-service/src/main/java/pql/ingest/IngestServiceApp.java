package pql.ingest;

import io.dropwizard.core.setup.Environment;
import java.time.Clock;
import pql.common.grpc.ManagedGrpcServer;
import pql.common.service.ServiceApplication;
import pql.common.service.ServiceLifecycle;
import pql.eventstore.EventStore;

/**
 * ingest-service in its own process: pql.v1.IngestService on a Netty gRPC server, health checks
 * (event store writable) and metrics (events by result, append latency, buffer in use) on the
 * admin port. Run with {@code java -cp ... pql.ingest.IngestServiceApp server ingest-service/config.yml}.
 */
public class IngestServiceApp extends ServiceApplication<IngestServiceConfig> {

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
    protected void wire(IngestServiceConfig config, Environment environment, ServiceLifecycle lifecycle) {
        EventStore store = lifecycle.opened(config.getEventStore().open());
        IngestModule ingest = new IngestModule(config.getIngest(), store, lifecycle.telemetry(), Clock.systemUTC());
        ingest.healthChecks().forEach(environment.healthChecks()::register);
        ingest.registerMetrics(environment.metrics());
        this.grpcServer = lifecycle.serve(ingest, config.getGrpc());
        this.module = ingest;
    }

    /** The running gRPC server (after {@code run}); its port is useful with port 0. */
    public ManagedGrpcServer grpcServer() {
        return grpcServer;
    }

    public IngestModule module() {
        return module;
    }
}
