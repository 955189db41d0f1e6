package pql.gateway.health;

import io.dropwizard.lifecycle.Managed;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.services.HealthStatusManager;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pql.gateway.proxy.Route;

/**
 * Reports each public service as healthy on the gateway exactly when its backend says so:
 * asks every backend's grpc.health.v1 about its service on a fixed period and mirrors the answer
 * into the gateway's own health service (per service, and "" for all of them). While any backend
 * is not serving (starting, or restoring its state after a restart) it asks again every
 * {@value #RECHECK_WHILE_DOWN_MILLIS} ms, so the gateway says SERVING as soon as they all do.
 */
public final class BackendHealthMonitor implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(BackendHealthMonitor.class);
    static final long RECHECK_WHILE_DOWN_MILLIS = 200;

    private final List<Route> routes;
    private final HealthStatusManager health;
    private final Duration period;
    private final Duration checkDeadline;
    private final Map<String, ServingStatus> lastSeen = new ConcurrentHashMap<>();
    private ScheduledExecutorService scheduler;

    public BackendHealthMonitor(List<Route> routes, HealthStatusManager health, Duration period, Duration checkDeadline) {
        this.routes = List.copyOf(routes);
        this.health = health;
        this.period = period;
        this.checkDeadline = checkDeadline;
    }

    @Override
    public void start() {
        for (Route route : routes) {
            health.setStatus(route.serviceName(), ServingStatus.NOT_SERVING);
        }
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.NOT_SERVING);
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "gateway-backend-health");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.execute(this::checkAndReschedule);
    }

    private void checkAndReschedule() {
        boolean allServing = false;
        try {
            allServing = checkAll();
        } catch (RuntimeException e) {
            LOG.warn("backend health check failed: {}", e.toString());
        } finally {
            long delay = allServing ? period.toMillis() : Math.min(period.toMillis(), RECHECK_WHILE_DOWN_MILLIS);
            try {
                scheduler.schedule(this::checkAndReschedule, delay, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                // the monitor is stopping
            }
        }
    }

    /**
     * Asks every backend now. Public so a caller (or a test) need not wait for the period.
     *
     * @return whether every backend is serving
     */
    public boolean checkAll() {
        boolean allServing = true;
        for (Route route : routes) {
            ServingStatus status = ask(route);
            ServingStatus before = lastSeen.put(route.serviceName(), status);
            if (before != status) {
                LOG.info("{} on backend {}: {}", route.serviceName(), route.backendName(), status);
            }
            health.setStatus(route.serviceName(), status);
            allServing &= status == ServingStatus.SERVING;
        }
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES,
                allServing ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
        return allServing;
    }

    private ServingStatus ask(Route route) {
        try {
            return HealthGrpc.newBlockingStub(route.backend())
                    .withDeadlineAfter(checkDeadline.toMillis(), TimeUnit.MILLISECONDS)
                    .check(HealthCheckRequest.newBuilder().setService(route.serviceName()).build())
                    .getStatus();
        } catch (StatusRuntimeException e) {
            return ServingStatus.NOT_SERVING;
        }
    }

    /** The last answer per public service. */
    public Map<String, ServingStatus> statuses() {
        Map<String, ServingStatus> copy = new LinkedHashMap<>();
        for (Route route : routes) {
            copy.put(route.serviceName(), lastSeen.getOrDefault(route.serviceName(), ServingStatus.UNKNOWN));
        }
        return copy;
    }

    @Override
    public void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
