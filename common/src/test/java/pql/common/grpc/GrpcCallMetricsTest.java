package pql.common.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pql.v1.GetPqlMetricsRequest;
import pql.v1.MetricsServiceGrpc;
import pql.v1.PqlMetrics;

/** Every answered call lands in the registry per method: latency and status code. */
class GrpcCallMetricsTest {

    private static final String PREFIX = "grpc.server.pql.v1.MetricsService.GetPqlMetrics";

    private final MetricRegistry registry = new MetricRegistry();
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        String name = InProcessServerBuilder.generateName();
        MetricsServiceGrpc.MetricsServiceImplBase service = new MetricsServiceGrpc.MetricsServiceImplBase() {
            @Override
            public void getPqlMetrics(GetPqlMetricsRequest request, StreamObserver<PqlMetrics> response) {
                if (request.getDefinitionVersion() > 5) {
                    response.onError(Status.NOT_FOUND.withDescription("no such version").asRuntimeException());
                    return;
                }
                response.onNext(PqlMetrics.getDefaultInstance());
                response.onCompleted();
            }
        };
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(ServerInterceptors.intercept(service, new GrpcCallMetrics(registry))).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void eachCallCountsUnderItsMethodAndCode() {
        var stub = MetricsServiceGrpc.newBlockingStub(channel);
        stub.getPqlMetrics(GetPqlMetricsRequest.getDefaultInstance());
        stub.getPqlMetrics(GetPqlMetricsRequest.getDefaultInstance());
        assertThatThrownBy(() -> stub.getPqlMetrics(GetPqlMetricsRequest.newBuilder().setDefinitionVersion(9).build()))
                .hasMessageContaining("NOT_FOUND");

        assertThat(registry.meter(PREFIX + ".code.OK").getCount()).isEqualTo(2);
        assertThat(registry.meter(PREFIX + ".code.NOT_FOUND").getCount()).isEqualTo(1);
        assertThat(registry.timer(PREFIX + ".latency").getCount()).isEqualTo(3);
    }
}
