package pql.gateway;

import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;
import pql.common.grpc.GrpcCredentials;
import pql.common.telemetry.Telemetry;
import pql.gateway.auth.ApiKeyRegistry;

/**
 * The distributed gateway: its own process in front of ingest-, scoring- and forecast-service
 * processes, reached over Netty (TLS by config). Run with
 * {@code java -cp ... pql.gateway.GatewayApp server gateway/config.yml}.
 */
public class GatewayApp extends Application<GatewayConfig> {

    private volatile Gateway gateway;
    private volatile org.eclipse.jetty.server.Server jetty;

    public static void main(String[] args) throws Exception {
        new GatewayApp().run(args);
    }

    @Override
    public String getName() {
        return "pql-gateway";
    }

    @Override
    public void initialize(Bootstrap<GatewayConfig> bootstrap) {
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
    }

    @Override
    public void run(GatewayConfig config, Environment environment) {
        Telemetry telemetry = Telemetry.create("pql-gateway", config.getTelemetry());
        ApiKeyRegistry keys = ApiKeyRegistry.of(config.getAuth().getApiKeys());
        BackendsConfig backends = config.getBackends();
        int maxResponse = config.getProxy().getMaxResponseBytes();
        ManagedChannel ingest = channel(backends.getIngest(), maxResponse);
        ManagedChannel scoring = channel(backends.getScoring(), maxResponse);
        ManagedChannel forecast = channel(backends.getForecast(), maxResponse);
        environment.lifecycle().manage(new io.dropwizard.lifecycle.Managed() {
            @Override
            public void stop() throws InterruptedException {
                for (ManagedChannel channel : List.of(ingest, scoring, forecast)) {
                    channel.shutdown();
                }
                for (ManagedChannel channel : List.of(ingest, scoring, forecast)) {
                    if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
                        channel.shutdownNow();
                    }
                }
                telemetry.close();
            }
        });
        // Registered after the channels' closer so it stops first: the server drains, then the
        // channels close (Dropwizard stops managed objects in reverse order).
        gateway = Gateway.install(config, environment, telemetry, keys, ingest, scoring, forecast);
        environment.lifecycle().addServerLifecycleListener(server -> jetty = server);
    }

    /**
     * Callbacks run on the channel's event loop (direct executor): the proxy and the HTTP
     * resources never block in one, and each forwarded message is spared a thread switch.
     */
    private static ManagedChannel channel(BackendConfig backend, int maxResponseBytes) {
        return Grpc.newChannelBuilder(backend.getTarget(), GrpcCredentials.channel(TlsSettings.normalized(backend.getTls())))
                .maxInboundMessageSize(maxResponseBytes)
                .directExecutor()
                .build();
    }

    /** The running gateway (after {@code run}), for tests and the banner. */
    public Gateway gateway() {
        return gateway;
    }

    /** The HTTP port Jetty bound (useful with port 0). */
    public int httpPort() {
        return JettyPorts.applicationPort(jetty);
    }

    /** Stops Jetty and with it every managed object (gRPC server, channels). */
    public void stop() throws Exception {
        if (jetty != null) {
            jetty.stop();
        }
    }
}
