package pql.common;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.health.HealthCheck;
import io.grpc.ServerServiceDefinition;
import java.util.List;
import java.util.Map;

/**
 * One service (ingest, scoring, forecast) assembled from its configuration: its gRPC services,
 * health checks and lifecycle. The same module runs in its own Dropwizard process (distributed
 * mode) or beside the others in one JVM behind in-process channels (all-in-one), so both modes
 * share every code path but the transport.
 */
public interface ServiceModule extends AutoCloseable {

    /** Short name: "ingest", "scoring", "forecast". Also the in-process server name. */
    String name();

    /** The gRPC services to expose, with the module's own interceptors already applied. */
    List<ServerServiceDefinition> services();

    /** Dropwizard health checks keyed by name. */
    Map<String, HealthCheck> healthChecks();

    /**
     * Adds the module's own figures to the process's Dropwizard registry (the admin port's
     * {@code /metrics} and {@code /prometheus}), whether it runs alone or in the all-in-one.
     */
    default void registerMetrics(MetricRegistry metrics) {
        // a module without figures of its own
    }

    /**
     * Whether the module answers its reads yet; its server reports NOT_SERVING in grpc.health.v1
     * until it does. Ready from the start unless a module says otherwise.
     */
    default pql.common.service.Readiness readiness() {
        return pql.common.service.Readiness.alwaysReady();
    }

    /** Starts background work (projections, subscriptions). Called once, before serving. */
    void start() throws Exception;

    /** Stops background work and releases resources. */
    @Override
    void close() throws Exception;
}
