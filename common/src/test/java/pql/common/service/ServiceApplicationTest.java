package pql.common.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.health.HealthCheck;
import io.dropwizard.core.setup.Environment;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.component.ContainerLifeCycle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import pql.common.ServiceModule;
import pql.common.grpc.ManagedGrpcServer;
import pql.common.telemetry.Telemetry;
import pql.v1.DefinitionServiceGrpc;
import pql.v1.GetDefinitionPresetRequest;
import pql.v1.ScoringDefinition;

/**
 * The one shutdown order of every PQL process, tested once: an app built on
 * {@link ServiceApplication} run through Dropwizard's lifecycle, with a fake module and store that
 * record when they are called and a real gRPC server holding one call in flight.
 */
class ServiceApplicationTest {

    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch callInside = new CountDownLatch(1);
    private final CountDownLatch releaseCall = new CountDownLatch(1);
    private final List<ManagedChannel> channels = new ArrayList<>();

    @AfterEach
    void closeChannels() {
        releaseCall.countDown();
        channels.forEach(ManagedChannel::shutdownNow);
    }

    @Test
    void shutdownStopsAcceptingDrainsTheCallInFlightThenClosesModuleStoreAndTelemetryInThatOrder() throws Exception {
        TestApp app = new TestApp(new FakeModule(false));
        ContainerLifeCycle dropwizard = started(app);
        var inFlight = DefinitionServiceGrpc.newFutureStub(channel(app.server.port()))
                .getDefinitionPreset(GetDefinitionPresetRequest.getDefaultInstance());
        assertThat(callInside.await(5, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> stop(dropwizard));
        awaitRefusingNewCalls(app.server.port());
        assertThat(calls).as("the module waits for the call in flight").doesNotContain("module closed");
        releaseCall.countDown();

        assertThat(inFlight.get(5, TimeUnit.SECONDS).getName()).isEqualTo("answered while stopping");
        stopping.get(20, TimeUnit.SECONDS);
        assertThat(calls).containsExactly("store opened", "module started", "call started", "call answered",
                "module closed", "store closed", "telemetry closed");
    }

    @Test
    void aFailingStepDoesNotKeepTheLaterOnesFromRunning() throws Exception {
        TestApp app = new TestApp(new FakeModule(true));
        ContainerLifeCycle dropwizard = started(app);
        releaseCall.countDown();

        assertThatThrownBy(dropwizard::stop).hasMessageContaining("cannot checkpoint");
        assertThat(calls).containsExactly("store opened", "module started", "module closed", "store closed", "telemetry closed");
    }

    /** Runs the app as Dropwizard does: {@code run}, then every managed object started by its container. */
    private static ContainerLifeCycle started(TestApp app) throws Exception {
        TestConfig config = new TestConfig();
        config.getGrpc().setHost("127.0.0.1");
        Environment environment = new Environment("test");
        app.run(config, environment);
        ContainerLifeCycle container = new ContainerLifeCycle();
        environment.lifecycle().attach(container);
        container.start();
        return container;
    }

    private static void stop(ContainerLifeCycle container) {
        try {
            container.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls with health checks on fresh connections until the server refuses them. */
    private void awaitRefusingNewCalls(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            ManagedChannel probe = channel(port);
            try {
                HealthGrpc.newBlockingStub(probe).withDeadlineAfter(1, TimeUnit.SECONDS)
                        .check(HealthCheckRequest.getDefaultInstance());
            } catch (StatusRuntimeException e) {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the server kept accepting calls while stopping");
    }

    private ManagedChannel channel(int port) {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        channels.add(channel);
        return channel;
    }

    static final class TestConfig extends ServiceConfiguration {
        TestConfig() {
            super(0);
        }
    }

    /** A service app as the real ones are: open the store, serve the module. */
    final class TestApp extends ServiceApplication<TestConfig> {
        private final FakeModule module;
        private ManagedGrpcServer server;

        TestApp(FakeModule module) {
            this.module = module;
        }

        @Override
        protected void wire(TestConfig config, Environment environment, ServiceLifecycle lifecycle) {
            lifecycle.opened(new FakeStore());
            server = lifecycle.serve(module, config.getGrpc());
        }

        @Override
        protected Telemetry openTelemetry(TestConfig config) {
            return Telemetry.owning(OpenTelemetrySdk.builder()
                    .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(new ShutdownRecorder()).build())
                    .build());
        }
    }

    final class FakeStore implements AutoCloseable {
        FakeStore() {
            calls.add("store opened");
        }

        @Override
        public void close() {
            calls.add("store closed");
        }
    }

    /** One RPC that holds its call until the test releases it. */
    final class FakeModule implements ServiceModule {
        private final boolean failsToClose;

        FakeModule(boolean failsToClose) {
            this.failsToClose = failsToClose;
        }

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public List<ServerServiceDefinition> services() {
            return List.of(new DefinitionServiceGrpc.DefinitionServiceImplBase() {
                @Override
                public void getDefinitionPreset(GetDefinitionPresetRequest request, StreamObserver<ScoringDefinition> response) {
                    calls.add("call started");
                    callInside.countDown();
                    try {
                        releaseCall.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    calls.add("call answered");
                    response.onNext(ScoringDefinition.newBuilder().setName("answered while stopping").build());
                    response.onCompleted();
                }
            }.bindService());
        }

        @Override
        public Map<String, HealthCheck> healthChecks() {
            return Map.of();
        }

        @Override
        public void start() {
            calls.add("module started");
        }

        @Override
        public void close() {
            calls.add("module closed");
            if (failsToClose) {
                throw new IllegalStateException("cannot checkpoint");
            }
        }
    }

    /** Telemetry's close, seen from inside the SDK it shuts down. */
    final class ShutdownRecorder implements SpanProcessor {
        @Override
        public void onStart(Context parentContext, ReadWriteSpan span) {
        }

        @Override
        public boolean isStartRequired() {
            return false;
        }

        @Override
        public void onEnd(ReadableSpan span) {
        }

        @Override
        public boolean isEndRequired() {
            return false;
        }

        @Override
        public CompletableResultCode shutdown() {
            calls.add("telemetry closed");
            return CompletableResultCode.ofSuccess();
        }
    }
}
