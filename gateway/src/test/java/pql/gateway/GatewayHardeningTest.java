package pql.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.grpc.CallOptions;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import pql.common.grpc.RawBytesMarshaller;
import pql.gateway.support.FakeBackends;
import pql.gateway.support.RunningGateway;
import pql.gateway.support.TestKeys;
import pql.v1.ScoringServiceGrpc;
import pql.v1.GetAccountScoreRequest;

/**
 * Issue #13, findings 5 and 6: the admin port needs a key with the {@code admin} scope, no log
 * line ever carries a key, and oversized headers, oversized messages and unknown methods get the
 * status a caller can act on.
 */
class GatewayHardeningTest {

    @TempDir
    static Path directory;
    static FakeBackends backends;
    static RunningGateway gateway;
    static Path logFile;

    @BeforeAll
    static void start() throws Exception {
        logFile = directory.resolve("gateway.log");
        backends = new FakeBackends();
        gateway = new RunningGateway(backends, directory, """
                logging:
                  level: WARN
                  appenders:
                    - type: file
                      currentLogFilename: %s
                      archive: false
                      queueSize: 65536
                      discardingThreshold: 0
                """.formatted(logFile));
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        backends.close();
    }

    // ---- admin port ---------------------------------------------------------------------

    @Test
    void theAdminTasksThreadsAndMetricsNeedAKey() throws Exception {
        assertThat(gateway.admin("POST", "/tasks/log-level?logger=io.grpc&level=DEBUG", null).statusCode()).isEqualTo(401);
        assertThat(gateway.admin("GET", "/threads", null).statusCode()).isEqualTo(401);
        assertThat(gateway.admin("GET", "/metrics", null).statusCode()).isEqualTo(401);
        assertThat(gateway.admin("GET", "/metrics", "pql_not-a-real-key").statusCode()).isEqualTo(401);
    }

    @Test
    void aKeyWithoutTheAdminScopeIsForbidden() throws Exception {
        assertThat(gateway.admin("GET", "/threads", TestKeys.READER).statusCode()).isEqualTo(403);
    }

    @Test
    void aKeyWithTheAdminScopeIsLetIn() throws Exception {
        assertThat(gateway.admin("GET", "/metrics", TestKeys.OPERATOR).statusCode()).isEqualTo(200);
        assertThat(gateway.admin("GET", "/threads", TestKeys.OPERATOR).statusCode()).isEqualTo(200);
    }

    @Test
    void healthAndPingStayOpenForProbes() throws Exception {
        assertThat(gateway.admin("GET", "/ping", null).statusCode()).isEqualTo(200);
        assertThat(gateway.admin("GET", "/healthcheck", null).statusCode()).isIn(200, 500);
    }

    @Test
    void noLoggerAtAnyLevelPrintsAKey() throws Exception {
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        Map<String, Level> before = new HashMap<>();
        logging.getLoggerList().forEach(logger -> before.put(logger.getName(), logger.getLevel()));
        try {
            assertThat(gateway.admin("POST", "/tasks/log-level?logger=ROOT&level=TRACE", TestKeys.OPERATOR).statusCode())
                    .isEqualTo(200);
            logging.getLoggerList().forEach(logger -> logger.setLevel(Level.TRACE));
            ScoringServiceGrpc.newBlockingStub(gateway.channel()).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .withCallCredentials(RunningGateway.bearer(TestKeys.READER))
                    .getAccountScore(GetAccountScoreRequest.newBuilder().setAccountId("acme").build());
            Metadata xApiKey = new Metadata();
            xApiKey.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), TestKeys.FINANCE);
            try {
                ScoringServiceGrpc.newBlockingStub(gateway.channel()).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(xApiKey))
                        .getAccountScore(GetAccountScoreRequest.newBuilder().setAccountId("acme").build());
            } catch (StatusRuntimeException expected) {
                // finance lacks scores:read: the refusal must not leak the key either
            }
            gateway.admin("GET", "/metrics", TestKeys.OPERATOR);
            LoggerFactory.getLogger("pql.test").info("headers: authorization=Bearer {} x-api-key: {}", TestKeys.READER, TestKeys.FINANCE);
        } finally {
            logging.getLoggerList().forEach(logger -> logger.setLevel(before.get(logger.getName())));
        }
        Thread.sleep(1500); // the file appender is asynchronous
        String log = Files.readString(logFile, StandardCharsets.UTF_8);
        assertThat(log).as("the TRACE log was written").contains("pql.test");
        assertThat(log).doesNotContain(TestKeys.READER).doesNotContain(TestKeys.FINANCE).doesNotContain(TestKeys.OPERATOR);
        assertThat(log).doesNotContain(TestKeys.READER.substring(4, 20)).doesNotContain(TestKeys.OPERATOR.substring(4, 20));
    }

    // ---- hostile gRPC input -------------------------------------------------------------

    private static byte[] rawCall(String fullMethodName, byte[] request, Metadata headers) {
        MethodDescriptor<byte[], byte[]> method = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName(fullMethodName)
                .setRequestMarshaller(RawBytesMarshaller.INSTANCE).setResponseMarshaller(RawBytesMarshaller.INSTANCE).build();
        var channel = io.grpc.ClientInterceptors.intercept(gateway.channel(), MetadataUtils.newAttachHeadersInterceptor(headers));
        return ClientCalls.blockingUnaryCall(channel, method, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS), request);
    }

    private static Metadata bearer(String key) {
        Metadata headers = new Metadata();
        if (key != null) {
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + key);
        }
        return headers;
    }

    @Test
    void anUnknownMethodWithoutAKeyIsUnauthenticated() {
        assertThatThrownBy(() -> rawCall("pql.v1.NoSuchService/Anything", new byte[0], bearer(null)))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        assertThatThrownBy(() -> rawCall("pql.v1.ScoringService/NoSuchMethod", new byte[0], bearer(null)))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    }

    @Test
    void anUnknownMethodWithAKeyIsNotFound() {
        assertThatThrownBy(() -> rawCall("pql.v1.NoSuchService/Anything", new byte[0], bearer(TestKeys.READER)))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isIn(Status.Code.UNIMPLEMENTED, Status.Code.PERMISSION_DENIED));
    }

    @Test
    void an8KbAuthHeaderIsUnauthenticatedWithOneLogLineAtMost() throws Exception {
        long before = Files.exists(logFile) ? Files.readAllLines(logFile).size() : 0;
        String huge = "pql_" + "A".repeat(8 * 1024);
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> rawCall("pql.v1.ScoringService/GetAccountScore", new byte[0], bearer(huge)))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        }
        Thread.sleep(500);
        long after = Files.exists(logFile) ? Files.readAllLines(logFile).size() : 0;
        assertThat(after - before).as("log lines for three oversized headers").isLessThanOrEqualTo(1);
    }

    @Test
    void a10MbMessageIsResourceExhausted() {
        byte[] tenMegabytes = new byte[10 * 1024 * 1024];
        assertThatThrownBy(() -> rawCall("pql.v1.IngestService/IngestBatch", tenMegabytes, bearer(TestKeys.INGESTER)))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    }
}
