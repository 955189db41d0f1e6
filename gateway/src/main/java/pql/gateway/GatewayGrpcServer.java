package pql.gateway;

import io.dropwizard.lifecycle.Managed;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pql.common.grpc.GrpcCredentials;
import pql.common.grpc.GrpcEndpoint;
import pql.common.grpc.GrpcServerConfig;
import pql.gateway.health.HealthWithList;
import pql.gateway.proxy.MessageSizeLimit;
import pql.gateway.proxy.UnknownMethods;

/**
 * The gateway's public gRPC endpoint (Netty): the proxied services, grpc.health.v1 and server
 * reflection (v1 and v1alpha), behind the interceptors (ErrorInfo on every error, telemetry, then API keys). The same services are
 * also served in-process, so code inside this JVM (the sample loader) takes the caller's path
 * through auth and proxy without a socket or TLS.
 *
 * <p>Calls run on the transport's own threads (direct executor): nothing here blocks (checking a
 * key is one hash, forwarding a message hands it to the backend call, health and reflection answer
 * from memory), so handing every message to an executor thread first would only add a thread
 * switch to each message's way and to each call's latency. The exception is the read services'
 * calls, which run on an executor of their own ({@link ReadCallExecutor}) so that they never wait
 * behind the ingest messages a busy event loop has queued.
 */
public final class GatewayGrpcServer implements Managed, GrpcEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayGrpcServer.class);

    private final GrpcServerConfig config;
    private final List<ServerServiceDefinition> services;
    private final List<ServerInterceptor> interceptors;
    private final HealthStatusManager health;
    private final ReadCallExecutor readCalls;
    private final GatewayEventLoops eventLoops = new GatewayEventLoops();
    private final String inProcessName = "pql-gateway-" + UUID.randomUUID();
    private Server netty;
    private Server inProcess;

    /**
     * @param interceptors the first in the list runs first
     */
    public GatewayGrpcServer(GrpcServerConfig config, List<ServerServiceDefinition> services,
            List<ServerInterceptor> interceptors, HealthStatusManager health) {
        this(config, services, interceptors, health, Set.of());
    }

    /**
     * @param interceptors the first in the list runs first
     * @param readServices full names of the services whose calls run on the read executor
     */
    public GatewayGrpcServer(GrpcServerConfig config, List<ServerServiceDefinition> services,
            List<ServerInterceptor> interceptors, HealthStatusManager health, Set<String> readServices) {
        this.config = config;
        this.services = List.copyOf(services);
        this.interceptors = List.copyOf(interceptors);
        this.health = health;
        this.readCalls = new ReadCallExecutor(readServices);
    }

    @Override
    public void start() throws IOException {
        NettyServerBuilder builder = NettyServerBuilder
                .forAddress(new InetSocketAddress(config.getHost(), config.getPort()), GrpcCredentials.server(TlsSettings.normalized(config.getTls())));
        eventLoops.configure(builder);
        netty = configure(builder
                .maxInboundMessageSize(MessageSizeLimit.transportLimit(config.getMaxInboundMessageBytes()))
                .maxInboundMetadataSize(config.getMaxInboundMetadataBytes()))
                .build().start();
        inProcess = configure(InProcessServerBuilder.forName(inProcessName)
                .maxInboundMessageSize(MessageSizeLimit.transportLimit(config.getMaxInboundMessageBytes())))
                .build().start();
        LOG.info("gateway gRPC listening on {}:{}{}", config.getHost(), netty.getPort(),
                config.getTls().isEnabled() ? " (TLS)" : "");
    }

    private ServerBuilder<?> configure(ServerBuilder<?> builder) {
        builder.directExecutor();
        builder.callExecutor(readCalls);
        for (ServerServiceDefinition service : services) {
            builder.addService(service);
        }
        builder.addService(HealthWithList.of(health, services.stream().map(s -> s.getServiceDescriptor().getName()).toList()));
        builder.addService(ProtoReflectionServiceV1.newInstance());
        // v1alpha too: older grpcurl, grpcui and Evans builds only ask that one
        builder.addService(ProtoReflectionService.newInstance());
        // Without a fallback gRPC answers an unknown method itself, before any interceptor: a
        // caller without a key would learn what does not exist. Through the fallback the key
        // check runs first, as for every other method.
        builder.fallbackHandlerRegistry(UnknownMethods.REGISTRY);
        // ServerBuilder.intercept runs the interceptor added last first: the size check runs
        // after every given interceptor, so a caller without a key is told UNAUTHENTICATED first.
        builder.intercept(new MessageSizeLimit(config.getMaxInboundMessageBytes()));
        for (int i = interceptors.size() - 1; i >= 0; i--) {
            builder.intercept(interceptors.get(i));
        }
        return builder;
    }

    /** The bound port (useful with port 0). */
    public int port() {
        if (netty == null) {
            throw new IllegalStateException("not started");
        }
        return netty.getPort();
    }

    public String host() {
        return config.getHost();
    }

    public boolean tls() {
        return config.getTls().isEnabled();
    }

    /** Name of the in-process twin of this server, for {@code InProcessChannelBuilder.forName}. */
    public String inProcessName() {
        return inProcessName;
    }

    @Override
    public void stopAccepting() {
        health.enterTerminalState();
        for (Server server : new Server[] {netty, inProcess}) {
            if (server != null) {
                server.shutdown();
            }
        }
    }

    @Override
    public void awaitDrained() throws InterruptedException {
        for (Server server : new Server[] {netty, inProcess}) {
            if (server != null && !server.awaitTermination(10, TimeUnit.SECONDS)) {
                server.shutdownNow();
                server.awaitTermination(5, TimeUnit.SECONDS);
            }
        }
        readCalls.close();
        eventLoops.close();
    }

    /** Both steps of stopping, for a server run on its own. */
    @Override
    public void stop() throws InterruptedException {
        stopAccepting();
        awaitDrained();
    }
}
