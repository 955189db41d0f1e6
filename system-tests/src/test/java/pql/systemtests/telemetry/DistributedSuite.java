package pql.systemtests.telemetry;

import io.dropwizard.core.setup.Environment;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.component.LifeCycle;
import pql.common.ServiceModule;
import pql.common.grpc.GrpcCredentials;
import pql.common.grpc.GrpcServerConfig;
import pql.common.grpc.ManagedGrpcServer;
import pql.common.grpc.TlsConfig;
import pql.common.service.ServiceLifecycle;
import pql.common.telemetry.Telemetry;
import pql.eventstore.EventStore;
import pql.eventstore.embedded.EmbeddedStoreOptions;
import pql.eventstore.embedded.RocksDbEventStore;
import pql.forecast.ForecastModule;
import pql.forecast.ForecastSettings;
import pql.gateway.Gateway;
import pql.gateway.GatewayConfig;
import pql.gateway.auth.ApiKeyConfig;
import pql.gateway.auth.ApiKeyRegistry;
import pql.gateway.auth.ApiKeys;
import pql.gateway.auth.Scope;
import pql.ingest.IngestModule;
import pql.ingest.IngestSettings;
import pql.scoring.ScoringModule;
import pql.scoring.ScoringSettings;

/**
 * Distributed mode in one JVM: ingest-, scoring- and forecast-service each on its own Netty gRPC
 * server on a loopback port (what their Dropwizard apps run: the module, ManagedGrpcServer, the
 * telemetry server interceptor), the gateway installed as GatewayApp installs it, with Netty
 * channels to those ports, and one embedded store in a temp directory. Each of them, and the
 * client, has its own OpenTelemetry SDK; all spans land in one in-memory exporter.
 */
final class DistributedSuite implements AutoCloseable {

    final InMemorySpanExporter spans = InMemorySpanExporter.create();
    final ProcessTelemetry client = new ProcessTelemetry("e2e-client", spans);
    final ProcessTelemetry gatewayProcess = new ProcessTelemetry("pql-gateway", spans);
    final ProcessTelemetry ingestProcess = new ProcessTelemetry("pql-ingest-service", spans);
    final ProcessTelemetry scoringProcess = new ProcessTelemetry("pql-scoring-service", spans);
    final ProcessTelemetry forecastProcess = new ProcessTelemetry("pql-forecast-service", spans);

    /** A key with every scope, as the client presents it. */
    final String apiKey = ApiKeys.generate();

    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();
    final EventStore store;
    final IngestModule ingest;
    final ScoringModule scoring;
    final ForecastModule forecast;
    private final int gatewayPort;

    DistributedSuite(Path dir) throws Exception {
        try {
            for (ProcessTelemetry process : List.of(client, gatewayProcess, ingestProcess, scoringProcess, forecastProcess)) {
                toClose.push(process);
            }
            store = RocksDbEventStore.open(EmbeddedStoreOptions.defaults(dir.resolve("events")));
            toClose.push(store);

            ingest = new IngestModule(new IngestSettings(), store, ingestProcess.telemetry(), Clock.systemUTC());
            int ingestPort = serve(ingest, ingestProcess.telemetry());

            scoring = new ScoringModule(new ScoringSettings().setDataDirectory(dir.resolve("scoring").toString()),
                    store, scoringProcess.telemetry(), Clock.systemUTC());
            int scoringPort = serve(scoring, scoringProcess.telemetry());

            // as ForecastServiceApp: a Netty channel to scoring with the client interceptor
            Channel forecastToScoring = traced(channel(scoringPort), forecastProcess.telemetry());
            forecast = new ForecastModule(new ForecastSettings(), forecastToScoring, forecastProcess.telemetry(),
                    Clock.systemUTC());
            int forecastPort = serve(forecast, forecastProcess.telemetry());

            gatewayPort = startGateway(ingestPort, scoringPort, forecastPort);
        } catch (Exception | Error e) {
            try {
                close();
            } catch (Exception closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** As the services' Dropwizard apps do: start the module, then its Netty server with the telemetry interceptor. */
    private int serve(ServiceModule module, Telemetry telemetry) throws Exception {
        module.start();
        toClose.push(module);
        ManagedGrpcServer server = new ManagedGrpcServer(module.name(), loopback(), module.services(),
                List.of(telemetry.serverInterceptor()));
        server.start();
        toClose.push(server::stop);
        return server.port();
    }

    /** As GatewayApp.run: Netty channels to the backends, then Gateway.install on a Dropwizard environment. */
    private int startGateway(int ingestPort, int scoringPort, int forecastPort) throws Exception {
        GatewayConfig config = new GatewayConfig();
        config.getGrpc().setHost("127.0.0.1").setPort(0);
        ApiKeyRegistry keys = ApiKeyRegistry.of(List.of(new ApiKeyConfig("e2e", ApiKeys.sha256Hex(apiKey),
                EnumSet.allOf(Scope.class).stream().map(Scope::label).toList())));
        Environment environment = new Environment("pql-gateway");
        ServiceLifecycle lifecycle = new ServiceLifecycle(gatewayProcess.telemetry());
        environment.lifecycle().manage(lifecycle);
        Gateway gateway = Gateway.install(config, environment, lifecycle, keys,
                channel(ingestPort), channel(scoringPort), channel(forecastPort));
        // Dropwizard starts managed objects in registration order and stops them in reverse
        for (LifeCycle managed : environment.lifecycle().getManagedObjects()) {
            managed.start();
            toClose.push(managed::stop);
        }
        return gateway.grpcServer().port();
    }

    /**
     * A client's channel to the gateway's public port: its own client spans (the client SDK's
     * interceptor) and the API key header.
     */
    Channel clientChannel() {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + apiKey);
        return ClientInterceptors.intercept(channel(gatewayPort),
                MetadataUtils.newAttachHeadersInterceptor(headers), client.telemetry().clientInterceptor());
    }

    private ManagedChannel channel(int port) {
        ManagedChannel channel = Grpc.newChannelBuilder("127.0.0.1:" + port, GrpcCredentials.channel(new TlsConfig()))
                .build();
        toClose.push(() -> {
            channel.shutdownNow();
            channel.awaitTermination(5, TimeUnit.SECONDS);
        });
        return channel;
    }

    private static Channel traced(Channel channel, Telemetry telemetry) {
        return ClientInterceptors.intercept(channel, telemetry.clientInterceptor());
    }

    private static GrpcServerConfig loopback() {
        return new GrpcServerConfig().setHost("127.0.0.1").setPort(0);
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        while (!toClose.isEmpty()) {
            try {
                toClose.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
