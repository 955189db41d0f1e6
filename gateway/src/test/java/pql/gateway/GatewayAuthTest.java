package pql.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pql.common.grpc.GrpcErrors;
import pql.gateway.support.FakeBackends;
import pql.gateway.support.RunningGateway;
import pql.gateway.support.TestKeys;
import pql.v1.*;

/** API keys and scopes on the gateway's gRPC endpoint, over Netty, against fake backends. */
class GatewayAuthTest {

    @TempDir
    static Path directory;
    static FakeBackends backends;
    static RunningGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        backends = new FakeBackends();
        gateway = new RunningGateway(backends, directory);
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        backends.close();
    }

    private static ScoringServiceGrpc.ScoringServiceBlockingStub scoring(String key) {
        var stub = ScoringServiceGrpc.newBlockingStub(gateway.channel()).withDeadlineAfter(10, TimeUnit.SECONDS);
        return key == null ? stub : stub.withCallCredentials(RunningGateway.bearer(key));
    }

    @Test
    void noKeyIsUnauthenticated() {
        assertThatThrownBy(() -> scoring(null).getAccountScore(GetAccountScoreRequest.newBuilder().setAccountId("acme").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                    assertThat(e.getStatus().getDescription()).contains("authorization: Bearer");
                });
        assertThat(backends.principalByMethod).doesNotContainKey("GetAccountScore");
    }

    @Test
    void anUnknownKeyIsUnauthenticated() {
        assertThatThrownBy(() -> scoring("pql_not-a-real-key").getAccountScore(
                GetAccountScoreRequest.newBuilder().setAccountId("acme").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                    assertThat(e.getStatus().getDescription()).isEqualTo("unknown API key");
                });
    }

    @Test
    void theXApiKeyHeaderWorksLikeBearer() {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), TestKeys.READER);
        AccountScore score = ScoringServiceGrpc.newBlockingStub(gateway.channel())
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .getAccountScore(GetAccountScoreRequest.newBuilder().setAccountId("acme").build());
        assertThat(score.getAccountId()).isEqualTo("acme");
    }

    @Test
    void theKeysNameReachesTheServiceAsThePrincipal() {
        scoring(TestKeys.READER).listAccountScores(ListAccountScoresRequest.getDefaultInstance());
        assertThat(backends.principalByMethod).containsEntry("ListAccountScores", "reader");
    }

    /** Every public service: a key without the scope is refused, naming the scope; the right key passes. */
    static List<Arguments> scopedCalls() {
        Function<String, Object> ingest = key -> IngestServiceGrpc.newBlockingStub(gateway.channel())
                .withCallCredentials(RunningGateway.bearer(key))
                .ingestEvent(IngestEventRequest.newBuilder().setEvent(Event.newBuilder().setAccountId("a").setEventId("e")).build());
        Function<String, Object> scores = key -> scoring(key).listAccountScores(ListAccountScoresRequest.getDefaultInstance());
        Function<String, Object> metrics = key -> MetricsServiceGrpc.newBlockingStub(gateway.channel())
                .withCallCredentials(RunningGateway.bearer(key)).getPqlMetrics(GetPqlMetricsRequest.getDefaultInstance());
        Function<String, Object> listDefinitions = key -> DefinitionServiceGrpc.newBlockingStub(gateway.channel())
                .withCallCredentials(RunningGateway.bearer(key)).listDefinitions(ListDefinitionsRequest.getDefaultInstance());
        Function<String, Object> publish = key -> DefinitionServiceGrpc.newBlockingStub(gateway.channel())
                .withCallCredentials(RunningGateway.bearer(key)).publishDefinition(PublishDefinitionRequest.getDefaultInstance());
        Function<String, Object> suggest = key -> DefinitionServiceGrpc.newBlockingStub(gateway.channel())
                .withCallCredentials(RunningGateway.bearer(key)).suggestDefinition(pql.v1.SuggestDefinitionRequest.getDefaultInstance());
        Function<String, Object> forecast = key -> ForecastServiceGrpc.newBlockingStub(gateway.channel())
                .withCallCredentials(RunningGateway.bearer(key)).getForecast(GetForecastRequest.getDefaultInstance());
        Function<String, Object> accuracy = key -> ForecastServiceGrpc.newBlockingStub(gateway.channel())
                .withCallCredentials(RunningGateway.bearer(key)).getForecastAccuracy(pql.v1.GetForecastAccuracyRequest.newBuilder()
                        .setFrom(com.google.protobuf.Timestamp.newBuilder().setSeconds(1_735_689_600L)).build());
        return List.of(
                Arguments.of("IngestService", ingest, TestKeys.READER, TestKeys.INGESTER, "ingest:write"),
                Arguments.of("ScoringService", scores, TestKeys.FINANCE, TestKeys.READER, "scores:read"),
                Arguments.of("MetricsService", metrics, TestKeys.INGESTER, TestKeys.READER, "scores:read"),
                Arguments.of("DefinitionService reads", listDefinitions, TestKeys.FINANCE, TestKeys.READER, "scores:read"),
                Arguments.of("DefinitionService changes", publish, TestKeys.READER, TestKeys.ADMIN, "definitions:admin"),
                Arguments.of("DefinitionService suggestions", suggest, TestKeys.READER, TestKeys.ADMIN, "definitions:admin"),
                Arguments.of("ForecastService", forecast, TestKeys.READER, TestKeys.FINANCE, "forecast:read"),
                Arguments.of("ForecastService accuracy", accuracy, TestKeys.READER, TestKeys.FINANCE, "forecast:read"));
    }

    @ParameterizedTest(name = "{0} needs {4}")
    @MethodSource("scopedCalls")
    void eachServiceNeedsItsScope(String service, Function<String, Object> call, String wrongKey, String rightKey, String scope) {
        assertThatThrownBy(() -> call.apply(wrongKey))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                    assertThat(e.getStatus().getDescription()).contains("lacks the scope " + scope);
                });
        assertThat(call.apply(rightKey)).isNotNull();
    }

    @Test
    void alertSubscriptionsNeedAlertsAdminEvenForAnAdminOfDefinitions() {
        for (String key : List.of(TestKeys.READER, TestKeys.ADMIN)) {
            assertThatThrownBy(() -> pql.v1.AlertServiceGrpc.newBlockingStub(gateway.channel())
                    .withCallCredentials(RunningGateway.bearer(key))
                    .listAlertSubscriptions(pql.v1.ListAlertSubscriptionsRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                        assertThat(e.getStatus().getDescription()).contains("lacks the scope alerts:admin");
                    });
        }
    }

    @Test
    void backendErrorsComeBackWithTheirFieldViolations() {
        assertThatThrownBy(() -> IngestServiceGrpc.newBlockingStub(gateway.channel())
                .withCallCredentials(RunningGateway.bearer(TestKeys.INGESTER))
                .ingestEvent(IngestEventRequest.newBuilder().setEvent(Event.newBuilder().setEventId("e1")).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(GrpcErrors.fieldViolations(e)).singleElement()
                            .satisfies(v -> assertThat(v.getField()).isEqualTo("event.account_id"));
                });
        assertThatThrownBy(() -> DefinitionServiceGrpc.newBlockingStub(gateway.channel())
                .withCallCredentials(RunningGateway.bearer(TestKeys.ADMIN))
                .promoteDefinition(PromoteDefinitionRequest.newBuilder().setVersion(2).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(e.getStatus().getDescription()).isEqualTo("version 2 has not caught up");
                });
    }

    @Test
    void bidiStreamingIngestGoesThrough() throws Exception {
        CompletableFuture<IngestStreamResponse> first = new CompletableFuture<>();
        StreamObserver<IngestStreamRequest> requests = IngestServiceGrpc.newStub(gateway.channel())
                .withCallCredentials(RunningGateway.bearer(TestKeys.INGESTER))
                .ingestStream(new StreamObserver<>() {
                    @Override
                    public void onNext(IngestStreamResponse value) {
                        first.complete(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        first.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        requests.onNext(IngestStreamRequest.newBuilder().setSequence(7)
                .addEvents(Event.newBuilder().setEventId("a")).addEvents(Event.newBuilder().setEventId("b")).build());
        IngestStreamResponse response = first.get(10, TimeUnit.SECONDS);
        requests.onCompleted();
        assertThat(response.getSequence()).isEqualTo(7);
        assertThat(response.getAccepted()).isEqualTo(2);
    }

    @Test
    void aTinyDeadlineOnAStreamingCallEndsInDeadlineExceeded() {
        var stream = scoring(TestKeys.READER).withDeadlineAfter(200, TimeUnit.MILLISECONDS).streamAccountScores(
                StreamAccountScoresRequest.newBuilder().setFilter(AccountScoreFilter.newBuilder().addOwners("slow")).build());
        assertThatThrownBy(stream::hasNext)
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
    }

    @Test
    void healthIsOpenAndReportsEachPublicService() throws Exception {
        gateway.app().gateway().healthMonitor().checkAll();
        var health = HealthGrpc.newBlockingStub(gateway.channel());
        for (String service : List.of("pql.v1.IngestService", "pql.v1.ScoringService", "pql.v1.DefinitionService",
                "pql.v1.MetricsService", "pql.v1.ForecastService", "")) {
            assertThat(health.check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus())
                    .as(service).isEqualTo(ServingStatus.SERVING);
        }

        backends.setForecastServing(false);
        try {
            gateway.app().gateway().healthMonitor().checkAll();
            assertThat(health.check(HealthCheckRequest.newBuilder().setService("pql.v1.ForecastService").build()).getStatus())
                    .isEqualTo(ServingStatus.NOT_SERVING);
            assertThat(health.check(HealthCheckRequest.newBuilder().setService("").build()).getStatus())
                    .isEqualTo(ServingStatus.NOT_SERVING);
            assertThat(health.check(HealthCheckRequest.newBuilder().setService("pql.v1.ScoringService").build()).getStatus())
                    .isEqualTo(ServingStatus.SERVING);
        } finally {
            backends.setForecastServing(true);
            gateway.app().gateway().healthMonitor().checkAll();
        }
    }

    @Test
    void reflectionIsOpenAndListsTheFivePublicServices() throws Exception {
        CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(gateway.channel())
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse value) {
                        answer.complete(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        answer.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        List<String> services = answer.get(10, TimeUnit.SECONDS).getListServicesResponse().getServiceList().stream()
                .map(ServiceResponse::getName).toList();
        requests.onCompleted();
        assertThat(services).contains("pql.v1.IngestService", "pql.v1.ScoringService", "pql.v1.DefinitionService",
                "pql.v1.MetricsService", "pql.v1.ForecastService", "grpc.health.v1.Health");
    }
}
