package pql.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.rpc.ErrorInfo;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pql.common.grpc.GrpcErrors;
import pql.common.grpc.RawBytesMarshaller;
import pql.gateway.support.FakeBackends;
import pql.gateway.support.RunningGateway;
import pql.gateway.support.TestKeys;
import pql.grpc.health.v1.HealthCheckResponse;
import pql.grpc.health.v1.HealthGrpc;
import pql.grpc.health.v1.HealthListRequest;
import pql.grpc.health.v1.HealthListResponse;
import pql.v1.DefinitionServiceGrpc;
import pql.v1.GetAccountScoreRequest;
import pql.v1.IngestServiceGrpc;
import pql.v1.PromoteDefinitionRequest;
import pql.v1.ScoringServiceGrpc;

/**
 * What generic gRPC tools (grpcurl, grpcui, Evans) and clients switching on errors rely on:
 * reflection in both versions, the proto comments through reflection, health List, and a
 * google.rpc.ErrorInfo on every error the gateway answers.
 */
class GatewayGrpcConventionsTest {

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

    @Test
    void older_tools_list_the_services_through_reflection_v1alpha() throws Exception {
        var response = reflectV1alpha(io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder().setListServices("").build());

        assertThat(response.getListServicesResponse().getServiceList())
                .extracting(io.grpc.reflection.v1alpha.ServiceResponse::getName)
                .contains(IngestServiceGrpc.SERVICE_NAME, ScoringServiceGrpc.SERVICE_NAME, "grpc.health.v1.Health");
    }

    @Test
    void reflection_serves_the_proto_comments() throws Exception {
        var response = reflectV1(io.grpc.reflection.v1.ServerReflectionRequest.newBuilder()
                .setFileContainingSymbol(IngestServiceGrpc.SERVICE_NAME).build());

        FileDescriptorProto file = null;
        for (ByteString bytes : response.getFileDescriptorResponse().getFileDescriptorProtoList()) {
            FileDescriptorProto candidate = FileDescriptorProto.parseFrom(bytes);
            if (candidate.getServiceList().stream().anyMatch(s -> s.getName().equals("IngestService"))) {
                file = candidate;
            }
        }
        assertThat(file).as("the file defining IngestService").isNotNull();
        assertThat(file.getSourceCodeInfo().getLocationList())
                .extracting(location -> location.getLeadingComments())
                .anyMatch(comment -> comment.contains("The event front door"));
    }

    @Test
    void health_list_reports_every_service_and_the_server() {
        HealthListResponse list = HealthGrpc.newBlockingStub(gateway.channel()).withDeadlineAfter(10, TimeUnit.SECONDS)
                .list(HealthListRequest.getDefaultInstance());

        assertThat(list.getStatusesMap()).containsKeys("", IngestServiceGrpc.SERVICE_NAME, ScoringServiceGrpc.SERVICE_NAME,
                DefinitionServiceGrpc.SERVICE_NAME, pql.v1.ForecastServiceGrpc.SERVICE_NAME);
        assertThat(list.getStatusesMap().get(IngestServiceGrpc.SERVICE_NAME).getStatus())
                .isIn(HealthCheckResponse.ServingStatus.SERVING, HealthCheckResponse.ServingStatus.NOT_SERVING);
    }

    static Stream<Arguments> errors() {
        Function<String, ScoringServiceGrpc.ScoringServiceBlockingStub> scoring = key -> {
            var stub = ScoringServiceGrpc.newBlockingStub(gateway.channel()).withDeadlineAfter(10, TimeUnit.SECONDS);
            return key == null ? stub : stub.withCallCredentials(RunningGateway.bearer(key));
        };
        GetAccountScoreRequest known = GetAccountScoreRequest.newBuilder().setAccountId("acct-1").build();
        return Stream.of(
                Arguments.of("no key", Status.Code.UNAUTHENTICATED, "API_KEY_MISSING",
                        (Runnable) () -> scoring.apply(null).getAccountScore(known)),
                Arguments.of("unknown key", Status.Code.UNAUTHENTICATED, "API_KEY_UNKNOWN",
                        (Runnable) () -> scoring.apply("pql_not-a-key").getAccountScore(known)),
                Arguments.of("key without the scope", Status.Code.PERMISSION_DENIED, "SCOPE_MISSING",
                        (Runnable) () -> scoring.apply(TestKeys.INGESTER).getAccountScore(known)),
                Arguments.of("backend's NOT_FOUND", Status.Code.NOT_FOUND, GrpcErrors.NOT_FOUND,
                        (Runnable) () -> scoring.apply(TestKeys.READER).getAccountScore(
                                GetAccountScoreRequest.newBuilder().setAccountId("acct-none").build())),
                Arguments.of("backend's bare FAILED_PRECONDITION", Status.Code.FAILED_PRECONDITION, "FAILED_PRECONDITION",
                        (Runnable) () -> DefinitionServiceGrpc.newBlockingStub(gateway.channel())
                                .withDeadlineAfter(10, TimeUnit.SECONDS).withCallCredentials(RunningGateway.bearer(TestKeys.ADMIN))
                                .promoteDefinition(PromoteDefinitionRequest.newBuilder().setVersion(2).build())),
                Arguments.of("unknown method", Status.Code.UNIMPLEMENTED, "METHOD_NOT_FOUND",
                        (Runnable) () -> callUnknownMethod()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void every_error_carries_error_info_in_the_pql_domain(String what, Status.Code code, String reason, Runnable call) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(code);
                    ErrorInfo info = GrpcErrors.errorInfoOf(e).orElseThrow(() -> new AssertionError("no ErrorInfo on " + e));
                    assertThat(info.getDomain()).isEqualTo("pql.v1");
                    assertThat(info.getReason()).isEqualTo(reason);
                });
    }

    private static void callUnknownMethod() {
        MethodDescriptor<byte[], byte[]> method = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName("pql.v1.ScoringService/NoSuchMethod")
                .setRequestMarshaller(RawBytesMarshaller.INSTANCE)
                .setResponseMarshaller(RawBytesMarshaller.INSTANCE)
                .build();
        ClientCalls.blockingUnaryCall(gateway.channel(), method,
                io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS)
                        .withCallCredentials(RunningGateway.bearer(TestKeys.READER)), new byte[0]);
    }

    private static io.grpc.reflection.v1.ServerReflectionResponse reflectV1(io.grpc.reflection.v1.ServerReflectionRequest request)
            throws Exception {
        CompletableFuture<io.grpc.reflection.v1.ServerReflectionResponse> answer = new CompletableFuture<>();
        var requests = io.grpc.reflection.v1.ServerReflectionGrpc.newStub(gateway.channel())
                .serverReflectionInfo(observer(answer));
        requests.onNext(request);
        requests.onCompleted();
        return answer.get(10, TimeUnit.SECONDS);
    }

    private static io.grpc.reflection.v1alpha.ServerReflectionResponse reflectV1alpha(
            io.grpc.reflection.v1alpha.ServerReflectionRequest request) throws Exception {
        CompletableFuture<io.grpc.reflection.v1alpha.ServerReflectionResponse> answer = new CompletableFuture<>();
        var requests = io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(gateway.channel())
                .serverReflectionInfo(observer(answer));
        requests.onNext(request);
        requests.onCompleted();
        return answer.get(10, TimeUnit.SECONDS);
    }

    private static <T> StreamObserver<T> observer(CompletableFuture<T> answer) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {
                answer.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                answer.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                answer.completeExceptionally(new AssertionError("no answer"));
            }
        };
    }
}
