package pql.gateway;

import io.dropwizard.core.setup.Environment;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import pql.common.grpc.GrpcCredentials;
import pql.common.service.ServiceApplication;
import pql.common.service.ServiceLifecycle;
import pql.gateway.auth.ApiKeyRegistry;

/**
 * The distributed gateway: its own process in front of ingest-, scoring- and forecast-service
 * processes, reached over Netty (TLS by config). Run with
 * {@code java -cp ... pql.gateway.GatewayApp server gateway/config.yml}.
 */
public class GatewayApp extends ServiceApplication<GatewayConfig> {

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
    protected void wire(GatewayConfig config, Environment environment, ServiceLifecycle lifecycle) {
        BackendsConfig backends = config.getBackends();
        int maxResponse = config.getProxy().getMaxResponseBytes();
        ManagedChannel ingest = lifecycle.opened(channel(backends.getIngest(), maxResponse));
        ManagedChannel scoring = lifecycle.opened(channel(backends.getScoring(), maxResponse));
        ManagedChannel forecast = lifecycle.opened(channel(backends.getForecast(), maxResponse));
        ApiKeyRegistry keys = ApiKeyRegistry.of(config.getAuth().getApiKeys());
        gateway = Gateway.install(config, environment, lifecycle, keys, ingest, scoring, forecast);
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

    /** The admin port Jetty bound (useful with port 0). */
    public int adminPort() {
        return JettyPorts.adminPort(jetty);
    }

    /** Stops Jetty and with it every managed object (gRPC server, channels). */
    public void stop() throws Exception {
        if (jetty != null) {
            jetty.stop();
        }
    }
}
