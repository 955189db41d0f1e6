package pql.common.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import java.util.List;
import org.junit.jupiter.api.Test;
import pql.common.service.Readiness;
import pql.v1.GetDefinitionPresetRequest;
import pql.v1.ProductComplexity;
import pql.v1.DefinitionServiceGrpc;
import pql.v1.ScoringDefinition;

class ManagedGrpcServerTest {

    /** A one-method service: enough to see the server route calls and report health. */
    static final class PresetOnly extends DefinitionServiceGrpc.DefinitionServiceImplBase {
        @Override
        public void getDefinitionPreset(GetDefinitionPresetRequest request, StreamObserver<ScoringDefinition> response) {
            response.onNext(ScoringDefinition.newBuilder().setName("preset")
                    .setProductComplexity(request.getProductComplexity()).build());
            response.onCompleted();
        }
    }

    @Test
    void servesTheServicesWithHealthOnAFreePort() throws Exception {
        ServerServiceDefinition service = new PresetOnly().bindService();
        ManagedGrpcServer server = new ManagedGrpcServer("test", new GrpcServerConfig().setPort(0), List.of(service), List.of());
        server.start();
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        try {
            ScoringDefinition preset = DefinitionServiceGrpc.newBlockingStub(channel).getDefinitionPreset(
                    GetDefinitionPresetRequest.newBuilder().setProductComplexity(ProductComplexity.PRODUCT_COMPLEXITY_SIMPLE).build());
            assertThat(preset.getProductComplexity()).isEqualTo(ProductComplexity.PRODUCT_COMPLEXITY_SIMPLE);

            HealthCheckResponse health = HealthGrpc.newBlockingStub(channel).check(
                    HealthCheckRequest.newBuilder().setService("pql.v1.DefinitionService").build());
            assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        } finally {
            channel.shutdownNow();
            server.stop();
        }
    }

    @Test
    void reportsNotServingForEveryServiceAndTheWholeServerUntilTheModuleIsReady() throws Exception {
        Readiness readiness = Readiness.notReadyYet("restoring");
        ManagedGrpcServer server = new ManagedGrpcServer("test", new GrpcServerConfig().setPort(0),
                List.of(new PresetOnly().bindService()), List.of(), readiness);
        server.start();
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        try {
            var health = HealthGrpc.newBlockingStub(channel);
            for (String service : List.of("pql.v1.DefinitionService", "")) {
                assertThat(health.check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus())
                        .as(service).isEqualTo(HealthCheckResponse.ServingStatus.NOT_SERVING);
            }

            readiness.ready("restored");

            for (String service : List.of("pql.v1.DefinitionService", "")) {
                assertThat(health.check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus())
                        .as(service).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
            }
        } finally {
            channel.shutdownNow();
            server.stop();
        }
    }
}
