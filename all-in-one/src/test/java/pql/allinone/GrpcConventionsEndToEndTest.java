package pql.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.allinone.support.RunningAllInOne;
import pql.common.grpc.GrpcErrors;
import pql.gateway.support.RunningGateway;
import pql.grpc.health.v1.HealthGrpc;
import pql.grpc.health.v1.HealthListRequest;
import pql.grpc.health.v1.HealthListResponse;
import pql.v1.DefinitionServiceGrpc;
import pql.v1.GetAccountScoreRequest;
import pql.v1.GetDefinitionRequest;
import pql.v1.IngestServiceGrpc;
import pql.v1.ScoringServiceGrpc;

/**
 * The gRPC conventions generic tools and clients rely on, through the real suite: reflection
 * v1alpha (older grpcurl/grpcui/Evans), the proto comments through reflection, health List, and
 * an ErrorInfo in the pql.v1 domain on every kind of error the services answer.
 */
class GrpcConventionsEndToEndTest {

    @TempDir
    static Path directory;
    static RunningAllInOne allInOne;

    @BeforeAll
    static void start() throws Exception {
        allInOne = new RunningAllInOne(new SuiteModules(), directory, Map.of("sampleData.loadOnFirstStart", "false"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (allInOne != null) {
            allInOne.close();
        }
    }

    @Test
    void an_older_tool_lists_the_services_and_reads_their_comments_through_reflection_v1alpha() throws Exception {
        List<io.grpc.reflection.v1alpha.ServerReflectionResponse> answers = reflectV1alpha(
                io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder().setListServices("").build(),
                io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder()
                        .setFileContainingSymbol(IngestServiceGrpc.SERVICE_NAME).build());

        assertThat(answers.get(0).getListServicesResponse().getServiceList())
                .extracting(io.grpc.reflection.v1alpha.ServiceResponse::getName)
                .contains(IngestServiceGrpc.SERVICE_NAME, ScoringServiceGrpc.SERVICE_NAME, DefinitionServiceGrpc.SERVICE_NAME);
        List<String> comments = new ArrayList<>();
        for (ByteString bytes : answers.get(1).getFileDescriptorResponse().getFileDescriptorProtoList()) {
            FileDescriptorProto file = FileDescriptorProto.parseFrom(bytes);
            file.getSourceCodeInfo().getLocationList().forEach(location -> comments.add(location.getLeadingComments()));
        }
        assertThat(comments).anyMatch(comment -> comment.contains("The event front door"));
    }

    @Test
    void health_list_reports_each_service() {
        HealthListResponse list = HealthGrpc.newBlockingStub(allInOne.channel()).withDeadlineAfter(30, TimeUnit.SECONDS)
                .list(HealthListRequest.getDefaultInstance());

        assertThat(list.getStatusesMap()).containsKeys("", IngestServiceGrpc.SERVICE_NAME, ScoringServiceGrpc.SERVICE_NAME,
                pql.v1.ForecastServiceGrpc.SERVICE_NAME);
    }

    @Test
    void every_kind_of_error_carries_error_info_in_the_pql_domain() {
        var scoring = ScoringServiceGrpc.newBlockingStub(allInOne.channel()).withDeadlineAfter(30, TimeUnit.SECONDS);
        var keyed = scoring.withCallCredentials(RunningGateway.bearer(allInOne.localKey()));
        var definitions = DefinitionServiceGrpc.newBlockingStub(allInOne.channel()).withDeadlineAfter(30, TimeUnit.SECONDS)
                .withCallCredentials(RunningGateway.bearer(allInOne.localKey()));

        assertErrorInfo(() -> scoring.getAccountScore(GetAccountScoreRequest.newBuilder().setAccountId("a").build()),
                Status.Code.UNAUTHENTICATED, "API_KEY_MISSING");
        assertErrorInfo(() -> scoring.withCallCredentials(RunningGateway.bearer("pql_nobody"))
                .getAccountScore(GetAccountScoreRequest.newBuilder().setAccountId("a").build()),
                Status.Code.UNAUTHENTICATED, "API_KEY_UNKNOWN");
        assertErrorInfo(() -> keyed.getAccountScore(GetAccountScoreRequest.newBuilder().setAccountId("nobody-here").build()),
                Status.Code.NOT_FOUND, GrpcErrors.NOT_FOUND);
        assertErrorInfo(() -> keyed.getAccountScore(GetAccountScoreRequest.getDefaultInstance()),
                Status.Code.INVALID_ARGUMENT, GrpcErrors.BAD_REQUEST);
        assertErrorInfo(() -> definitions.getDefinition(GetDefinitionRequest.newBuilder().setVersion(9_999).build()),
                Status.Code.NOT_FOUND, GrpcErrors.NOT_FOUND);
    }

    private static void assertErrorInfo(Runnable call, Status.Code code, String reason) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(code);
            ErrorInfo info = GrpcErrors.errorInfoOf(e).orElseThrow(() -> new AssertionError("no ErrorInfo on " + e));
            assertThat(info.getDomain()).isEqualTo("pql.v1");
            assertThat(info.getReason()).isEqualTo(reason);
        });
    }

    private static List<io.grpc.reflection.v1alpha.ServerReflectionResponse> reflectV1alpha(
            io.grpc.reflection.v1alpha.ServerReflectionRequest... requests) throws Exception {
        List<io.grpc.reflection.v1alpha.ServerReflectionResponse> answers = new ArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        var stream = io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(allInOne.channel())
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(io.grpc.reflection.v1alpha.ServerReflectionResponse value) {
                        synchronized (answers) {
                            answers.add(value);
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        done.complete(null);
                    }
                });
        for (var request : requests) {
            stream.onNext(request);
        }
        stream.onCompleted();
        done.get(30, TimeUnit.SECONDS);
        return answers;
    }
}
