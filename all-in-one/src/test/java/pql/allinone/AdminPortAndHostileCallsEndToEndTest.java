package pql.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.allinone.support.RunningAllInOne;
import pql.common.grpc.RawBytesMarshaller;
import pql.gateway.support.RunningGateway;
import pql.v1.Event;
import pql.v1.IngestBatchRequest;
import pql.v1.IngestBatchResponse;
import pql.v1.IngestServiceGrpc;
import pql.v1.ProductAction;

/**
 * Issue #13's findings 5 and 6 as the black-box probe saw them, on the real all-in-one with its
 * bundled config.yml: the admin port let anybody on the machine raise log levels, and unknown
 * methods and oversized keys got answers other than UNAUTHENTICATED. And issue #15's: the admin
 * port had 135 metrics and none about the product; after a real ingest through the gateway,
 * {@code /prometheus} now counts events by result and reason, the call by method and code, and
 * scoring's lag back at 0.
 */
class AdminPortAndHostileCallsEndToEndTest {

    @TempDir
    static Path directory;
    static RunningAllInOne allInOne;

    @BeforeAll
    static void start() throws Exception {
        allInOne = new RunningAllInOne(new SuiteModules(), directory, Map.of("sampleData.loadOnFirstStart", "false"));
    }

    @AfterAll
    static void stop() throws Exception {
        allInOne.close();
    }

    @Test
    void theAdminPortListensOnLoopbackOnly() {
        assertThat(allInOne.app().adminConnector().getHost()).isEqualTo("127.0.0.1");
    }

    @Test
    void withoutAKeyTheAdminPortAnswersOnlyItsProbes() throws Exception {
        assertThat(allInOne.admin("POST", "/tasks/log-level?logger=io.grpc&level=DEBUG", null).statusCode()).isEqualTo(401);
        assertThat(allInOne.admin("GET", "/threads", null).statusCode()).isEqualTo(401);
        assertThat(allInOne.admin("GET", "/metrics", null).statusCode()).isEqualTo(401);
        assertThat(allInOne.admin("GET", "/ping", null).statusCode()).isEqualTo(200);
    }

    @Test
    void theLocalKeyHasTheAdminScope() throws Exception {
        assertThat(allInOne.admin("GET", "/metrics", allInOne.localKey()).statusCode()).isEqualTo(200);
        assertThat(allInOne.admin("POST", "/tasks/log-level?logger=io.grpc&level=WARN", allInOne.localKey()).statusCode())
                .isEqualTo(200);
    }

    @Test
    void threeAcceptedAndOneRejectedShowOnThePrometheusEndpoint() throws Exception {
        Instant at = Instant.now().minus(Duration.ofHours(1));
        IngestBatchResponse response = IngestServiceGrpc.newBlockingStub(allInOne.channel())
                .withCallCredentials(RunningGateway.bearer(allInOne.localKey())).withDeadlineAfter(30, TimeUnit.SECONDS)
                .ingestBatch(IngestBatchRequest.newBuilder()
                        .addEvents(action("m-1", at)).addEvents(action("m-2", at)).addEvents(action("m-3", at))
                        .addEvents(action("m-4", Instant.now().plus(Duration.ofDays(30)))) // from the future
                        .build());
        assertThat(response.getAccepted()).isEqualTo(3);

        String text = awaitPrometheus("scoring_projection_lag 0.0\n");
        assertThat(text).contains("pql_ingest_events_accepted_total 3.0\n")
                .contains("pql_ingest_events_rejected_total 1.0\n")
                .contains("pql_ingest_events_rejected_reason_invalid_occurred_at_total 1.0\n")
                .contains("grpc_server_pql_v1_IngestService_IngestBatch_code_OK_total 1.0\n")
                .contains("pql_ingest_store_append_seconds_count 1\n")
                .contains("scoring_projection_lag_seconds 0.0\n");
    }

    private static String awaitPrometheus(String expected) throws Exception {
        String text = "";
        for (int i = 0; i < 200 && !text.contains(expected); i++) {
            text = allInOne.admin("GET", "/prometheus", allInOne.localKey()).body();
            if (!text.contains(expected)) {
                Thread.sleep(50);
            }
        }
        assertThat(text).contains(expected);
        return text;
    }

    private static Event action(String eventId, Instant at) {
        return Event.newBuilder().setEventId(eventId).setAccountId("acme")
                .setOccurredAt(Timestamp.newBuilder().setSeconds(at.getEpochSecond()))
                .setProductAction(ProductAction.newBuilder().setUserId("u1").setAction("report_created"))
                .build();
    }

    @Test
    void anUnknownMethodWithoutAKeyIsUnauthenticated() {
        assertThat(statusOf("pql.v1.ScoringService/DropEverything", null)).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(statusOf("no.such.Service/Method", null)).isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    @Test
    void an8KbKeyIsUnauthenticated() {
        assertThat(statusOf("pql.v1.ScoringService/GetAccountScore", "pql_" + "x".repeat(8 * 1024)))
                .isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    @Test
    void a10MbMessageIsResourceExhausted() {
        assertThat(statusOf("pql.v1.IngestService/IngestBatch", allInOne.localKey(), new byte[10 * 1024 * 1024]))
                .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    }

    private static Status.Code statusOf(String fullMethodName, String key) {
        return statusOf(fullMethodName, key, new byte[0]);
    }

    private static Status.Code statusOf(String fullMethodName, String key, byte[] request) {
        MethodDescriptor<byte[], byte[]> method = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName(fullMethodName)
                .setRequestMarshaller(RawBytesMarshaller.INSTANCE).setResponseMarshaller(RawBytesMarshaller.INSTANCE).build();
        Metadata headers = new Metadata();
        if (key != null) {
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + key);
        }
        var channel = ClientInterceptors.intercept(allInOne.channel(), MetadataUtils.newAttachHeadersInterceptor(headers));
        try {
            ClientCalls.blockingUnaryCall(channel, method, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS), request);
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }
}
