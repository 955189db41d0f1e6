package pql.common.grpc;

import io.dropwizard.lifecycle.Managed;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pql.common.service.Readiness;

/**
 * A gRPC server (Netty) run by the service's lifecycle: started after the application is
 * configured, drained on shutdown. Also serves grpc.health.v1 and server reflection.
 */
public final class ManagedGrpcServer implements Managed, GrpcEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(ManagedGrpcServer.class);

    private final String name;
    private final GrpcServerConfig config;
    private final List<ServerServiceDefinition> services;
    private final List<ServerInterceptor> interceptors;
    private final HealthStatusManager health = new HealthStatusManager();
    private final Readiness readiness;
    private Server server;

    /**
     * @param interceptors applied to every service; the first in the list runs first
     */
    public ManagedGrpcServer(String name, GrpcServerConfig config, List<ServerServiceDefinition> services,
            List<ServerInterceptor> interceptors) {
        this(name, config, services, interceptors, Readiness.alwaysReady());
    }

    /**
     * @param readiness mirrored into grpc.health.v1: each service and "" are NOT_SERVING while the
     *     module is not ready (e.g. restoring state after a restart), SERVING once it is
     */
    public ManagedGrpcServer(String name, GrpcServerConfig config, List<ServerServiceDefinition> services,
            List<ServerInterceptor> interceptors, Readiness readiness) {
        this.readiness = readiness;
        this.name = name;
        this.config = config;
        this.services = List.copyOf(services);
        this.interceptors = List.copyOf(interceptors);
    }

    @Override
    public void start() throws IOException {
        ServerBuilder<?> builder = NettyServerBuilder
                .forAddress(new InetSocketAddress(config.getHost(), config.getPort()), GrpcCredentials.server(config.getTls()))
                .maxInboundMessageSize(config.getMaxInboundMessageBytes())
                .maxInboundMetadataSize(config.getMaxInboundMetadataBytes());
        for (ServerServiceDefinition service : services) {
            builder.addService(intercepted(service));
        }
        builder.addService(health.getHealthService());
        builder.addService(ProtoReflectionServiceV1.newInstance());
        builder.addService(io.grpc.protobuf.services.ProtoReflectionService.newInstance()); // v1alpha, for older tools
        server = builder.build().start();
        // after stopAccepting the manager is terminal (NOT_SERVING) and ignores later changes
        readiness.subscribe(ready -> {
            ServingStatus status = ready ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
            for (ServerServiceDefinition service : services) {
                health.setStatus(service.getServiceDescriptor().getName(), status);
            }
            health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, status);
        });
        LOG.info("{} gRPC server listening on port {}", name, server.getPort());
    }

    private ServerServiceDefinition intercepted(ServerServiceDefinition service) {
        // ServerInterceptors.intercept runs the LAST interceptor first; keep the list's order.
        List<ServerInterceptor> reversed = new java.util.ArrayList<>(interceptors);
        java.util.Collections.reverse(reversed);
        reversed.add(new ErrorInfoInterceptor()); // runs first: sees every other refusal
        return ServerInterceptors.intercept(service, reversed);
    }

    /** The bound port (useful with port 0). */
    public int port() {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return server.getPort();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(config.getHost(), port());
    }

    @Override
    public void stopAccepting() {
        if (server == null) {
            return;
        }
        health.enterTerminalState();
        server.shutdown();
    }

    @Override
    public void awaitDrained() throws InterruptedException {
        if (server == null) {
            return;
        }
        if (!server.awaitTermination(10, TimeUnit.SECONDS)) {
            server.shutdownNow();
            server.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** Both steps of stopping, for a server run on its own. */
    @Override
    public void stop() throws InterruptedException {
        stopAccepting();
        awaitDrained();
    }
}
