package pql.common.service;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import pql.common.ServiceModule;
import pql.common.grpc.GrpcCallMetrics;
import pql.common.grpc.GrpcEndpoint;
import pql.common.grpc.GrpcServerConfig;
import pql.common.grpc.ManagedGrpcServer;
import pql.common.telemetry.Telemetry;

/**
 * The one start and shutdown order of every PQL process, registered with Dropwizard as a single
 * managed object so that no app can get it wrong by registering its parts in another order.
 *
 * <p>Start: the parts in the order they were added, so a module starts before the server that
 * serves it (and a backend before the gateway in front of it). Stop:
 * <ol>
 *   <li>each server stops accepting calls, then drains the calls in flight, the last added first:
 *       a gateway is empty before the backends behind it stop taking its calls;</li>
 *   <li>the processors stop and checkpoint ({@link ServiceModule#close}), the last added first;</li>
 *   <li>the resources the app opened (event store, channels) close, the last opened first;</li>
 *   <li>telemetry closes, last, so the shutdown itself is still traced and measured.</li>
 * </ol>
 * Every step runs even when an earlier one failed; the first failure is rethrown with the later
 * ones attached as suppressed.
 */
public final class ServiceLifecycle implements Managed {

    private static final long CHANNEL_CLOSE_SECONDS = 5;

    private final Telemetry telemetry;
    private final MetricRegistry metrics;
    private final List<Managed> processors = new ArrayList<>();
    private final List<GrpcEndpoint> servers = new ArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<Step> starts = new ArrayList<>();
    private boolean stopped;

    /** @param telemetry the process's telemetry, closed after everything else */
    public ServiceLifecycle(Telemetry telemetry) {
        this(telemetry, new MetricRegistry());
    }

    /**
     * @param telemetry the process's telemetry, closed after everything else
     * @param metrics   the process's Dropwizard registry (admin port): every served gRPC method's
     *                  latency and status codes land there ({@link GrpcCallMetrics})
     */
    public ServiceLifecycle(Telemetry telemetry, MetricRegistry metrics) {
        this.telemetry = telemetry;
        this.metrics = metrics;
    }

    /** The process's Dropwizard metrics, as on the admin port. */
    public MetricRegistry metrics() {
        return metrics;
    }

    /** The process's telemetry, for the parts the app builds. */
    public Telemetry telemetry() {
        return telemetry;
    }

    /** A resource the app opened (e.g. the event store): closed after the processors stopped. */
    public <T extends AutoCloseable> T opened(T resource) {
        resources.add(resource);
        return resource;
    }

    /** A channel the app opened: shut down after the processors stopped, forcibly after a grace period. */
    public ManagedChannel opened(ManagedChannel channel) {
        resources.add(() -> {
            channel.shutdown();
            if (!channel.awaitTermination(CHANNEL_CLOSE_SECONDS, TimeUnit.SECONDS)) {
                channel.shutdownNow();
            }
        });
        return channel;
    }

    /** A module whose background work starts before the servers and stops after they drained. */
    public void process(ServiceModule module) {
        process(new Managed() {
            @Override
            public void start() throws Exception {
                module.start();
            }

            @Override
            public void stop() throws Exception {
                module.close();
            }
        });
    }

    private void process(Managed processor) {
        processors.add(processor);
        starts.add(processor::start);
    }

    /** A server: started last, the first to stop. */
    public <S extends GrpcEndpoint> S serve(S server) {
        servers.add(server);
        starts.add(server::start);
        return server;
    }

    /**
     * {@code module} on its own Netty gRPC server (per-method metrics and telemetry's interceptor
     * on every call): the standalone shape of every service.
     */
    public ManagedGrpcServer serve(ServiceModule module, GrpcServerConfig config) {
        process(module);
        return serve(new ManagedGrpcServer(module.name(), config, module.services(),
                List.of(new GrpcCallMetrics(metrics), telemetry.serverInterceptor()),
                module.readiness()));
    }

    @Override
    public void start() throws Exception {
        try {
            for (Step start : starts) {
                start.run();
            }
        } catch (Exception e) {
            // Dropwizard does not stop a managed object whose start failed: release what started.
            try {
                stop();
            } catch (Exception stopFailure) {
                e.addSuppressed(stopFailure);
            }
            throw e;
        }
    }

    @Override
    public synchronized void stop() throws Exception {
        if (stopped) {
            return;
        }
        stopped = true;
        Failures failures = new Failures();
        for (GrpcEndpoint server : reversed(servers)) {
            failures.run(server::stopAccepting);
            failures.run(server::awaitDrained);
        }
        for (Managed processor : reversed(processors)) {
            failures.run(processor::stop);
        }
        for (AutoCloseable resource : reversed(resources)) {
            failures.run(resource::close);
        }
        failures.run(telemetry::close);
        failures.rethrow();
    }

    private static <T> List<T> reversed(List<T> list) {
        List<T> copy = new ArrayList<>(list);
        java.util.Collections.reverse(copy);
        return copy;
    }

    /** Runs every step, remembering the first failure and attaching the later ones to it. */
    private static final class Failures {
        private Exception first;

        void run(Step step) {
            try {
                step.run();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }

        void rethrow() throws Exception {
            if (first != null) {
                throw first;
            }
        }
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }
}
