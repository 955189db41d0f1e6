package pql.scoring.grpc;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import pql.common.telemetry.Telemetry;
import pql.eventstore.embedded.EmbeddedStoreOptions;
import pql.eventstore.embedded.RocksDbEventStore;
import pql.scoring.ScoringModule;
import pql.scoring.ScoringSettings;
import pql.scoring.testing.Await;
import pql.scoring.testing.SampleHistory;
import pql.v1.DefinitionServiceGrpc;
import pql.v1.MetricsServiceGrpc;
import pql.v1.ScoringServiceGrpc;

/** The scoring module on a real embedded store behind an in-process gRPC server. */
final class ScoringServerFixture implements AutoCloseable {

    final RocksDbEventStore store;
    final ScoringModule module;
    final Server server;
    final ManagedChannel channel;
    final ScoringServiceGrpc.ScoringServiceBlockingStub scoring;
    final ScoringServiceGrpc.ScoringServiceStub scoringAsync;
    final DefinitionServiceGrpc.DefinitionServiceBlockingStub definitions;
    final MetricsServiceGrpc.MetricsServiceBlockingStub metrics;

    ScoringServerFixture(Path directory, ScoringSettings settings) throws Exception {
        this(directory, settings, Clock.systemUTC());
    }

    /** @param clock the module's "now" (requests may not ask about instants after it) */
    ScoringServerFixture(Path directory, ScoringSettings settings, Clock clock) throws Exception {
        store = RocksDbEventStore.open(EmbeddedStoreOptions.defaults(directory.resolve("events")));
        settings.setDataDirectory(directory.resolve("scoring").toString())
                .setPercentileRefresh(io.dropwizard.util.Duration.milliseconds(50));
        module = new ScoringModule(settings, store, Telemetry.noop(), clock);
        module.start();
        String name = InProcessServerBuilder.generateName();
        InProcessServerBuilder builder = InProcessServerBuilder.forName(name).directExecutor();
        module.services().forEach(builder::addService);
        server = builder.build().start();
        Metadata headers = new Metadata();
        headers.put(Principals.HEADER, "platform-team");
        channel = InProcessChannelBuilder.forName(name)
                .intercept(MetadataUtils.newAttachHeadersInterceptor(headers)).build();
        scoring = ScoringServiceGrpc.newBlockingStub(channel);
        scoringAsync = ScoringServiceGrpc.newStub(channel);
        definitions = DefinitionServiceGrpc.newBlockingStub(channel);
        metrics = MetricsServiceGrpc.newBlockingStub(channel);
    }

    ScoringServerFixture(Path directory) throws Exception {
        this(directory, new ScoringSettings());
    }

    void append(SampleHistory history, int from, int to) {
        history.appendTo(store, from, to, 50);
        awaitCaughtUp();
    }

    void awaitCaughtUp() {
        Await.until("serving projection at the head",
                () -> module.servingProjection().processedPosition() >= store.headPosition());
    }

    @Override
    public void close() throws Exception {
        channel.shutdownNow();
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
        module.close();
        store.close();
    }
}
