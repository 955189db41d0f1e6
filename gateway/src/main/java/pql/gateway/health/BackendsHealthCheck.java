package pql.gateway.health;

import com.codahale.metrics.health.HealthCheck;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.util.Map;
import java.util.stream.Collectors;

/** Dropwizard's view (admin port) of what {@link BackendHealthMonitor} last saw. */
public final class BackendsHealthCheck extends HealthCheck {

    private final BackendHealthMonitor monitor;

    public BackendsHealthCheck(BackendHealthMonitor monitor) {
        this.monitor = monitor;
    }

    @Override
    protected Result check() {
        Map<String, ServingStatus> statuses = monitor.statuses();
        String down = statuses.entrySet().stream()
                .filter(entry -> entry.getValue() != ServingStatus.SERVING)
                .map(entry -> entry.getKey() + "=" + entry.getValue())
                .collect(Collectors.joining(", "));
        return down.isEmpty() ? Result.healthy("all backends serving") : Result.unhealthy("not serving: " + down);
    }
}
