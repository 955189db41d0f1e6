package pql.allinone;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import pql.common.ServiceModule;
import pql.common.grpc.GrpcEndpoint;
import pql.common.telemetry.Telemetry;

/**
 * One service module behind its own in-process gRPC server (with health and the telemetry
 * interceptor, as its standalone server has), so the gateway reaches it through a channel exactly
 * as in distributed mode; only the transport differs. The server is this object; the module's
 * own start and close are the lifecycle's to run ({@link #module()}), in the one shutdown order.
 *
 * <p>Each module's calls run on threads of its own ({@code grpc-<module>-N}), not on gRPC's one
 * shared default executor: an ingest flood then occupies ingest's threads only, and score,
 * forecast and metrics reads never wait for a thread behind ingest work (issue #13). A read
 * module's pool grows as calls need (a bounded one would queue reads behind reads); ingest's has
 * one thread per core, as its calls never block a thread (they wait for room and for the store
 * asynchronously): fifty clients' batches then queue for those threads instead of becoming fifty
 * runnable threads, each of which a read's thread and every safepoint would have to wait behind.
 *
 * <p>The threads also carry a Java priority per module: ingest's the lowest, the read services'
 * the highest. The JVM hands it to Linux as a nice value only when started with
 * {@code -XX:ThreadPriorityPolicy=1} (raising above normal needs root or CAP_SYS_NICE); then,
 * when ingest keeps every core busy, the scheduler gives a read's thread the CPU first instead
 * of an equal slice among dozens of ingest threads (issue #13). Without the flag it changes nothing.
 */
final class InProcessModule implements GrpcEndpoint {

    private final ServiceModule module;
    private final Telemetry telemetry;
    private final int maxMessageBytes;
    private final String serverName;
    private final HealthStatusManager health = new HealthStatusManager();
    private final ExecutorService calls;
    private Server server;

    /**
     * @param threadPriority the Java priority of the module's call threads ({@link Thread#MIN_PRIORITY}
     *     to {@link Thread#MAX_PRIORITY})
     * @param maxCallThreads at most this many call threads, the calls beyond them queued (0: as
     *     many as the calls need)
     */
    InProcessModule(ServiceModule module, Telemetry telemetry, int maxMessageBytes, int threadPriority, int maxCallThreads) {
        this.module = module;
        this.telemetry = telemetry;
        this.maxMessageBytes = maxMessageBytes;
        // The module's name, made unique so several all-in-ones can share a JVM (tests).
        this.serverName = module.name() + "-" + UUID.randomUUID();
        ThreadFactory threads = daemonThreads("grpc-" + module.name(), threadPriority);
        this.calls = maxCallThreads > 0 ? Executors.newFixedThreadPool(maxCallThreads, threads) : Executors.newCachedThreadPool(threads);
    }

    @Override
    public void start() throws java.io.IOException {
        InProcessServerBuilder builder = InProcessServerBuilder.forName(serverName).maxInboundMessageSize(maxMessageBytes)
                .executor(calls);
        for (ServerServiceDefinition service : module.services()) {
            builder.addService(service);
        }
        builder.addService(health.getHealthService());
        builder.intercept(telemetry.serverInterceptor());
        server = builder.build().start();
        // NOT_SERVING while the module is not ready (scoring restoring its projection after a
        // restart); the gateway mirrors it, and its "" service says SERVING only when all are
        module.readiness().subscribe(ready -> {
            ServingStatus status = ready ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
            for (ServerServiceDefinition service : module.services()) {
                health.setStatus(service.getServiceDescriptor().getName(), status);
            }
            health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, status);
        });
    }

    /** A channel to this module (usable before start: calls wait for the server). */
    ManagedChannel channel() {
        return InProcessChannelBuilder.forName(serverName).maxInboundMessageSize(maxMessageBytes).build();
    }

    /**
     * A channel for the gateway: its callbacks run on the thread that produced the answer (direct
     * executor), which suits the proxy and the HTTP resources, whose callbacks never block, and
     * spares every forwarded message a thread switch. Not for code that may block in a callback.
     */
    ManagedChannel gatewayChannel() {
        return InProcessChannelBuilder.forName(serverName).maxInboundMessageSize(maxMessageBytes).directExecutor().build();
    }

    ServiceModule module() {
        return module;
    }

    @Override
    public void stopAccepting() {
        health.enterTerminalState();
        if (server != null) {
            server.shutdown();
        }
    }

    @Override
    public void awaitDrained() throws InterruptedException {
        if (server != null && !server.awaitTermination(10, TimeUnit.SECONDS)) {
            server.shutdownNow();
        }
        calls.shutdown();
    }

    private static ThreadFactory daemonThreads(String prefix, int priority) {
        AtomicInteger number = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + number.incrementAndGet());
            thread.setDaemon(true);
            thread.setPriority(priority);
            return thread;
        };
    }
}
