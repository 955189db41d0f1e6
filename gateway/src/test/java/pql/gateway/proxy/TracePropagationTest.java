package pql.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import pql.common.telemetry.Telemetry;

/** One trace from the caller through the gateway's proxy to the service. */
class TracePropagationTest {

    @Test
    void clientGatewayAndServiceSpansShareOneTrace() throws Exception {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        Telemetry telemetry = Telemetry.of(sdk);
        String backendName = "traced-backend-" + UUID.randomUUID();
        String gatewayName = "traced-gateway-" + UUID.randomUUID();
        ServerServiceDefinition echo = ServerServiceDefinition.builder(EchoService.DESCRIPTOR)
                .addMethod(EchoService.UNARY, ServerCalls.asyncUnaryCall((StringValue request, io.grpc.stub.StreamObserver<StringValue> response) -> {
                    response.onNext(request);
                    response.onCompleted();
                }))
                .addMethod(EchoService.SERVER_STREAMING, ServerCalls.asyncServerStreamingCall((request, response) -> response.onCompleted()))
                .addMethod(EchoService.CLIENT_STREAMING, ServerCalls.asyncClientStreamingCall(response -> null))
                .addMethod(EchoService.BIDI, ServerCalls.asyncBidiStreamingCall(response -> null))
                .build();
        Server backend = InProcessServerBuilder.forName(backendName)
                .addService(ServerInterceptors.intercept(echo, telemetry.serverInterceptor())).build().start();
        ManagedChannel backendChannel = InProcessChannelBuilder.forName(backendName).build();
        Server gateway = InProcessServerBuilder.forName(gatewayName)
                .addService(ServerInterceptors.intercept(ProxyServices.forward(EchoService.DESCRIPTOR,
                        ClientInterceptors.intercept(backendChannel, telemetry.clientInterceptor()), () -> null),
                        telemetry.serverInterceptor()))
                .build().start();
        ManagedChannel client = InProcessChannelBuilder.forName(gatewayName).build();
        try {
            ClientCalls.blockingUnaryCall(ClientInterceptors.intercept(client, telemetry.clientInterceptor()), EchoService.UNARY,
                    CallOptions.DEFAULT, EchoService.text("traced"));

            // Server spans end when the server call completes, a moment after the caller has its answer.
            long giveUp = System.nanoTime() + 10_000_000_000L;
            while (spans.getFinishedSpanItems().size() < 4 && System.nanoTime() < giveUp) {
                Thread.sleep(20);
            }
            List<SpanData> finished = spans.getFinishedSpanItems();
            assertThat(finished).hasSize(4);
            assertThat(finished).extracting(SpanData::getTraceId).containsOnly(finished.get(0).getTraceId());
            SpanData caller = only(finished, SpanKind.CLIENT, true);
            SpanData gatewayServer = finished.stream().filter(s -> s.getKind() == SpanKind.SERVER
                    && s.getParentSpanId().equals(caller.getSpanId())).findFirst().orElseThrow();
            SpanData gatewayClient = finished.stream().filter(s -> s.getKind() == SpanKind.CLIENT
                    && s.getParentSpanId().equals(gatewayServer.getSpanId())).findFirst().orElseThrow();
            SpanData service = finished.stream().filter(s -> s.getKind() == SpanKind.SERVER
                    && s.getParentSpanId().equals(gatewayClient.getSpanId())).findFirst().orElseThrow();
            assertThat(service.getName()).isEqualTo("test.EchoService/Unary");
        } finally {
            client.shutdownNow();
            backendChannel.shutdownNow();
            gateway.shutdownNow().awaitTermination();
            backend.shutdownNow().awaitTermination();
            sdk.close();
        }
    }

    private static SpanData only(List<SpanData> spans, SpanKind kind, boolean root) {
        return spans.stream().filter(s -> s.getKind() == kind && (!root || !s.getParentSpanContext().isValid()))
                .findFirst().orElseThrow();
    }
}
