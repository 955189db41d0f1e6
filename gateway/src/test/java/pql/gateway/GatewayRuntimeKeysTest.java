package pql.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.gateway.support.FakeBackends;
import pql.gateway.support.RunningGateway;
import pql.gateway.support.TestKeys;
import pql.v1.CreateApiKeyRequest;
import pql.v1.CreateApiKeyResponse;
import pql.v1.Event;
import pql.v1.IngestEventRequest;
import pql.v1.IngestServiceGrpc;
import pql.v1.KeyServiceGrpc;
import pql.v1.ListAccountScoresRequest;
import pql.v1.RevokeApiKeyRequest;
import pql.v1.ScoringServiceGrpc;

/**
 * Runtime keys end to end through two gateways sharing one key stream (as two gateways share the
 * event store): a key created on one is accepted by both within a second, revoked on the other it
 * is refused by both within a second; a dashboard:read key loads exactly the dashboard's data.
 */
class GatewayRuntimeKeysTest {

    private static final Duration WITHIN = Duration.ofSeconds(1);

    @TempDir
    static Path directory;
    static FakeBackends backends;
    static RunningGateway first;
    static RunningGateway second;

    @BeforeAll
    static void start() throws Exception {
        backends = new FakeBackends();
        first = new RunningGateway(backends, Files.createDirectories(directory.resolve("first")));
        second = new RunningGateway(backends, Files.createDirectories(directory.resolve("second")));
        // warm both paths up with a YAML key, so the timings below measure propagation, not a first request
        for (RunningGateway gateway : new RunningGateway[] {first, second}) {
            assertThat(listScores(gateway, TestKeys.READER)).isEqualTo(Status.Code.OK);
            assertThat(httpStatus(gateway, "/api/v1/scores", TestKeys.READER)).isEqualTo(200);
            assertThat(httpStatus(gateway, "/api/v1/forecast?group_by=persona", TestKeys.FINANCE)).isEqualTo(200);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        first.close();
        second.close();
        backends.close();
    }

    private static KeyServiceGrpc.KeyServiceBlockingStub keys(RunningGateway gateway) {
        return KeyServiceGrpc.newBlockingStub(gateway.channel()).withDeadlineAfter(10, TimeUnit.SECONDS)
                .withCallCredentials(RunningGateway.bearer(TestKeys.KEYMASTER));
    }

    private static Status.Code listScores(RunningGateway gateway, String key) {
        try {
            ScoringServiceGrpc.newBlockingStub(gateway.channel()).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .withCallCredentials(RunningGateway.bearer(key)).listAccountScores(ListAccountScoresRequest.getDefaultInstance());
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    /** How long until {@code condition} held (polled every 20 ms), failing after five seconds. */
    private static Duration timeUntil(BooleanSupplier condition) throws InterruptedException {
        long start = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(5)) {
                throw new AssertionError("did not happen within 5 s");
            }
            Thread.sleep(20);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static int httpStatus(RunningGateway gateway, String path, String key) {
        try {
            return gateway.get(path, key).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aKeyCreatedOnOneGatewayWorksOnBothWithinASecondAndARevokedOneStopsOnBoth() throws Exception {
        CreateApiKeyResponse created = keys(first).createApiKey(CreateApiKeyRequest.newBuilder().setName("analyst")
                .addScopes("scores:read").build());
        String secret = created.getSecret();

        assertThat(listScores(first, secret)).as("the creating gateway, at once").isEqualTo(Status.Code.OK);
        assertThat(timeUntil(() -> listScores(second, secret) == Status.Code.OK)).isLessThan(WITHIN);
        assertThat(timeUntil(() -> httpStatus(second, "/api/v1/scores", secret) == 200)).isLessThan(WITHIN);
        assertThat(backends.principalByMethod).containsEntry("ListAccountScores", "analyst");

        keys(second).revokeApiKey(RevokeApiKeyRequest.newBuilder().setName("analyst").build());

        assertThat(listScores(second, secret)).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(timeUntil(() -> listScores(first, secret) == Status.Code.UNAUTHENTICATED)).isLessThan(WITHIN);
        assertThat(httpStatus(first, "/api/v1/scores", secret)).isEqualTo(401);
        assertThat(keys(first).listApiKeys(pql.v1.ListApiKeysRequest.getDefaultInstance()).getKeysList())
                .noneMatch(key -> key.getName().equals("analyst"));
    }

    @Test
    void aDashboardKeyLoadsTheDashboardsDataAndNothingElse() throws Exception {
        String dashboard = keys(first).createApiKey(CreateApiKeyRequest.newBuilder().setName("wall-screen")
                .addScopes("dashboard:read").build()).getSecret();
        timeUntil(() -> httpStatus(second, "/api/v1/spectrum?limit=20000", dashboard) == 200);

        for (RunningGateway gateway : new RunningGateway[] {first, second}) {
            // the calls app.js makes
            assertThat(httpStatus(gateway, "/api/v1/spectrum?limit=20000", dashboard)).isEqualTo(200);
            assertThat(httpStatus(gateway, "/api/v1/forecast?group_by=persona", dashboard)).isEqualTo(200);
            assertThat(httpStatus(gateway, "/api/v1/transitions/recent?limit=15", dashboard)).isEqualTo(200);
            assertThat(httpStatus(gateway, "/api/v1/forecast/lines.csv", dashboard)).isEqualTo(200);
            assertThat(httpStatus(gateway, "/api/v1/scores?pql_only=true", dashboard)).isEqualTo(200); // the lead table
            assertThat(httpStatus(gateway, "/api/v1/metrics", dashboard)).isEqualTo(200); // the header's counts
            assertThat(httpStatus(gateway, "/api/v1/dashboard/spectrum", dashboard)).isEqualTo(200);
            assertThat(httpStatus(gateway, "/dashboard/", null)).isEqualTo(200);
            // and nothing else: no gRPC read, no ingest
            assertThat(listScores(gateway, dashboard)).isEqualTo(Status.Code.PERMISSION_DENIED);
            StatusRuntimeException ingest = catchThrowableOfType(() -> IngestServiceGrpc.newBlockingStub(gateway.channel())
                    .withCallCredentials(RunningGateway.bearer(dashboard)).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .ingestEvent(IngestEventRequest.newBuilder().setEvent(Event.newBuilder().setAccountId("acme")).build()),
                    StatusRuntimeException.class);
            assertThat(ingest.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(ingest.getStatus().getDescription()).contains("ingest:write");
        }
        // the YAML keys with the old pair of scopes still load it
        assertThat(httpStatus(first, "/api/v1/spectrum?limit=20000", TestKeys.READER)).isEqualTo(200);
        assertThat(httpStatus(first, "/api/v1/forecast?group_by=persona", TestKeys.FINANCE)).isEqualTo(200);
    }
}
