package pql.ingest.support;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import pql.common.grpc.GrpcServerConfig;
import pql.common.grpc.ManagedGrpcServer;
import pql.common.telemetry.Telemetry;
import pql.eventstore.embedded.EmbeddedStoreOptions;
import pql.eventstore.embedded.RocksDbEventStore;
import pql.ingest.IngestModule;
import pql.ingest.IngestSettings;

/**
 * The ingest service in a process of its own (a Netty server on a free loopback port over the
 * embedded store in the given directory), for tests that kill it. Prints "PORT n" once serving.
 */
public final class IngestServerProcess {

    private IngestServerProcess() {
    }

    public static void main(String[] args) throws Exception {
        RocksDbEventStore store = RocksDbEventStore.open(EmbeddedStoreOptions.defaults(Path.of(args[0])));
        IngestModule module = new IngestModule(new IngestSettings(), store, Telemetry.noop(), Clock.systemUTC());
        ManagedGrpcServer server = new ManagedGrpcServer("ingest", new GrpcServerConfig().setPort(0), module.services(), List.of());
        server.start();
        System.out.println("PORT " + server.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
