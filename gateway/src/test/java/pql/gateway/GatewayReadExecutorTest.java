package pql.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ForwardingServerCallListener;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pql.common.grpc.GrpcServerConfig;
import pql.gateway.proxy.ProxyServices;
import pql.gateway.proxy.Route;
import pql.gateway.proxy.Routes;
import pql.v1.AccountScore;
import pql.v1.GetAccountScoreRequest;
import pql.v1.IngestEventRequest;
import pql.v1.IngestEventResponse;
import pql.v1.IngestServiceGrpc;
import pql.v1.ScoringServiceGrpc;

/**
 * Issue #13: the gateway runs the read services' calls on an executor of their own, so a score
 * read never waits behind the ingest messages a busy Netty event loop has queued; ingest calls
 * stay on the transport's threads, the gateway's own event loops. Seen from an interceptor in the gateway's chain, which runs on
 * the thread the call was given.
 */
class GatewayReadExecutorTest {

    private final Map<String, String> threadByMethod = new ConcurrentHashMap<>();
    private Server backend;
    private ManagedChannel backendChannel;
    private GatewayGrpcServer gateway;
    private ManagedChannel client;

    @BeforeEach
    void start() throws Exception {
        String name = "backend-" + UUID.randomUUID();
        backend = InProcessServerBuilder.forName(name).directExecutor()
                .addService(new ScoringServiceGrpc.ScoringServiceImplBase() {
                    @Override
                    public void getAccountScore(GetAccountScoreRequest request, StreamObserver<AccountScore> observer) {
                        observer.onNext(AccountScore.newBuilder().setAccountId(request.getAccountId()).build());
                        observer.onCompleted();
                    }
                })
                .addService(new IngestServiceGrpc.IngestServiceImplBase() {
                    @Override
                    public void ingestEvent(IngestEventRequest request, StreamObserver<IngestEventResponse> observer) {
                        observer.onNext(IngestEventResponse.getDefaultInstance());
                        observer.onCompleted();
                    }
                })
                .build().start();
        backendChannel = InProcessChannelBuilder.forName(name).directExecutor().build();
        List<Route> routes = Routes.of(backendChannel, backendChannel, backendChannel);
        ServerInterceptor recordThread = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                String method = call.getMethodDescriptor().getBareMethodName();
                threadByMethod.put(method + ".start", Thread.currentThread().getName());
                threadByMethod.put(method + ".priority", String.valueOf(Thread.currentThread().getPriority()));
                return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
                    @Override
                    public void onHalfClose() {
                        threadByMethod.put(method + ".halfClose", Thread.currentThread().getName());
                        super.onHalfClose();
                    }
                };
            }
        };
        gateway = new GatewayGrpcServer(new GrpcServerConfig().setHost("127.0.0.1").setPort(0),
                routes.stream().map(route -> ProxyServices.forward(route.service(), route.backend(), () -> null)).toList(),
                List.of(recordThread), new HealthStatusManager(), Routes.readServices(routes));
        gateway.start();
        client = NettyChannelBuilder.forAddress("127.0.0.1", gateway.port()).usePlaintext().build();
    }

    @AfterEach
    void stop() throws Exception {
        client.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        gateway.stop();
        backendChannel.shutdownNow();
        backend.shutdownNow();
    }

    @Test
    void score_reads_run_on_the_read_executor_and_ingest_on_the_transport_threads() {
        AccountScore score = ScoringServiceGrpc.newBlockingStub(client)
                .getAccountScore(GetAccountScoreRequest.newBuilder().setAccountId("acme").build());
        IngestServiceGrpc.newBlockingStub(client).ingestEvent(IngestEventRequest.getDefaultInstance());

        assertThat(score.getAccountId()).isEqualTo("acme");
        assertThat(threadByMethod.get("GetAccountScore.start")).startsWith(ReadCallExecutor.THREAD_PREFIX);
        assertThat(threadByMethod.get("GetAccountScore.halfClose")).startsWith(ReadCallExecutor.THREAD_PREFIX);
        // ingest stays on the transport thread: the gateway's own event loops
        assertThat(threadByMethod.get("IngestEvent.start")).startsWith("gateway-grpc-io-");
        assertThat(threadByMethod.get("IngestEvent.halfClose")).isNotNull().doesNotStartWith(ReadCallExecutor.THREAD_PREFIX);
    }

    @Test
    void the_read_executor_and_the_event_loops_ask_for_the_highest_priority() {
        ScoringServiceGrpc.newBlockingStub(client).getAccountScore(GetAccountScoreRequest.newBuilder().setAccountId("acme").build());
        IngestServiceGrpc.newBlockingStub(client).ingestEvent(IngestEventRequest.getDefaultInstance());

        assertThat(threadByMethod).containsEntry("GetAccountScore.priority", String.valueOf(Thread.MAX_PRIORITY))
                .containsEntry("IngestEvent.priority", String.valueOf(Thread.MAX_PRIORITY));
    }

    @Test
    void every_route_but_ingest_is_a_read_service() {
        List<Route> routes = Routes.of(backendChannel, backendChannel, backendChannel);

        assertThat(Routes.readServices(routes)).contains(ScoringServiceGrpc.SERVICE_NAME, "pql.v1.ForecastService",
                "pql.v1.DefinitionService", "pql.v1.MetricsService", "pql.v1.AlertService")
                .doesNotContain(IngestServiceGrpc.SERVICE_NAME);
    }
}
