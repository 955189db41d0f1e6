package pql.ingest.support;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import pql.common.telemetry.Telemetry;
import pql.eventstore.EventStore;
import pql.eventstore.StoredEvent;
import pql.eventstore.StreamVersions;
import pql.eventstore.embedded.EmbeddedStoreOptions;
import pql.eventstore.embedded.RocksDbEventStore;
import pql.ingest.IngestModule;
import pql.ingest.IngestSettings;
import pql.v1.IngestServiceGrpc;

/**
 * The ingest module over a real embedded store in a temporary directory, served by an in-process
 * gRPC server with the telemetry interceptor (as the standalone and all-in-one servers have).
 */
public final class IngestHarness implements AutoCloseable {

    private final Path directory;
    private final RocksDbEventStore store;
    private final EventStore served;
    private final IngestModule module;
    private final Server server;
    private final ManagedChannel channel;
    private RocksDbEventStore reopened;

    private IngestHarness(Path directory, IngestSettings settings, Telemetry telemetry, UnaryOperator<EventStore> wrap) {
        this.directory = directory;
        this.store = RocksDbEventStore.open(EmbeddedStoreOptions.defaults(directory));
        this.served = wrap.apply(store);
        this.module = new IngestModule(settings, served, telemetry, TestEvents.CLOCK);
        String name = "ingest-test-" + UUID.randomUUID();
        InProcessServerBuilder builder = InProcessServerBuilder.forName(name).maxInboundMessageSize(4 * 1024 * 1024);
        for (ServerServiceDefinition service : module.services()) {
            builder.addService(service);
        }
        builder.intercept(telemetry.serverInterceptor());
        try {
            this.server = builder.build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.channel = InProcessChannelBuilder.forName(name).maxInboundMessageSize(16 * 1024 * 1024).build();
    }

    public static IngestHarness start(Path directory) {
        return start(directory, new IngestSettings(), Telemetry.noop(), UnaryOperator.identity());
    }

    public static IngestHarness start(Path directory, IngestSettings settings) {
        return start(directory, settings, Telemetry.noop(), UnaryOperator.identity());
    }

    public static IngestHarness start(Path directory, IngestSettings settings, Telemetry telemetry, UnaryOperator<EventStore> wrap) {
        return new IngestHarness(directory, settings, telemetry, wrap);
    }

    public IngestServiceGrpc.IngestServiceBlockingStub blocking() {
        return IngestServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    /** The channel to every service of the module (e.g. ApiKeyLogService). */
    public ManagedChannel channel() {
        return channel;
    }

    public IngestServiceGrpc.IngestServiceStub async() {
        return IngestServiceGrpc.newStub(channel);
    }

    public IngestModule module() {
        return module;
    }

    /** The real store (under any wrapper the module sees). */
    public RocksDbEventStore store() {
        return store;
    }

    public long head() {
        return current().headPosition();
    }

    /** Stops the store as a crash of the storage would: every later append fails. */
    public void closeStore() {
        store.close();
    }

    /** After {@link #closeStore}: the same directory opened again, as a restarted process would. */
    public RocksDbEventStore reopenStore() {
        if (reopened == null) {
            reopened = RocksDbEventStore.open(EmbeddedStoreOptions.defaults(directory));
        }
        return reopened;
    }

    /** Every event of the global log, oldest first. */
    public List<StoredEvent> storedEvents() {
        EventStore source = current();
        List<StoredEvent> all = new ArrayList<>();
        long after = StreamVersions.BEFORE_FIRST_POSITION;
        while (true) {
            List<StoredEvent> page = source.readAll(after, 10_000);
            if (page.isEmpty()) {
                return all;
            }
            all.addAll(page);
            after = page.get(page.size() - 1).globalPosition();
        }
    }

    private EventStore current() {
        return reopened != null ? reopened : store;
    }

    @Override
    public void close() throws Exception {
        channel.shutdownNow();
        server.shutdownNow();
        server.awaitTermination(10, TimeUnit.SECONDS);
        channel.awaitTermination(10, TimeUnit.SECONDS);
        module.close();
        store.close();
        if (reopened != null) {
            reopened.close();
        }
    }
}
