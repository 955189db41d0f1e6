package pql.gateway.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pql.gateway.proxy.Route;
import pql.v1.ScoringServiceGrpc;

/**
 * A backend that starts NOT_SERVING (scoring restoring its projection after a restart) is seen
 * SERVING by the gateway soon after it says so, not a whole health period later.
 */
class BackendHealthMonitorTest {

    private static final String SCORING = ScoringServiceGrpc.SERVICE_NAME;

    private final HealthStatusManager backendHealth = new HealthStatusManager();
    private final HealthStatusManager gatewayHealth = new HealthStatusManager();
    private Server backend;
    private ManagedChannel channel;
    private Server gateway;
    private ManagedChannel gatewayChannel;
    private BackendHealthMonitor monitor;

    @BeforeEach
    void start() throws Exception {
        String name = InProcessServerBuilder.generateName();
        backend = InProcessServerBuilder.forName(name).addService(backendHealth.getHealthService()).build().start();
        channel = InProcessChannelBuilder.forName(name).build();
        backendHealth.setStatus(SCORING, ServingStatus.NOT_SERVING);
        String gatewayName = InProcessServerBuilder.generateName();
        gateway = InProcessServerBuilder.forName(gatewayName).addService(gatewayHealth.getHealthService()).build().start();
        gatewayChannel = InProcessChannelBuilder.forName(gatewayName).build();
        monitor = new BackendHealthMonitor(List.of(new Route(ScoringServiceGrpc.getServiceDescriptor(), "scoring", channel)),
                gatewayHealth, Duration.ofMinutes(10), Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() throws Exception {
        monitor.stop();
        channel.shutdownNow();
        gatewayChannel.shutdownNow();
        backend.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        gateway.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void aBackendThatComesUpIsServingOnTheGatewayWithinASecondWhateverThePeriod() throws Exception {
        monitor.start();
        awaitStatus(ServingStatus.NOT_SERVING, 2_000);

        backendHealth.setStatus(SCORING, ServingStatus.SERVING);

        awaitStatus(ServingStatus.SERVING, 1_000);
        assertThat(monitor.statuses()).containsEntry(SCORING, ServingStatus.SERVING);
    }

    private void awaitStatus(ServingStatus expected, long withinMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(withinMillis);
        while (!(monitor.statuses().get(SCORING) == expected && overall() == expected)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the gateway did not say " + expected + " within " + withinMillis + " ms (it says "
                        + monitor.statuses() + ", overall " + overall() + ")");
            }
            Thread.sleep(20);
        }
    }

    private ServingStatus overall() {
        return HealthGrpc.newBlockingStub(gatewayChannel).check(HealthCheckRequest.newBuilder().setService("").build())
                .getStatus();
    }
}
