package pql.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.allinone.support.RunningAllInOne;
import pql.gateway.support.RunningGateway;
import pql.v1.CreateApiKeyRequest;
import pql.v1.Event;
import pql.v1.IngestEventRequest;
import pql.v1.IngestServiceGrpc;
import pql.v1.KeyServiceGrpc;
import pql.v1.ListApiKeysRequest;
import pql.v1.ListAccountScoresRequest;
import pql.v1.RevokeApiKeyRequest;
import pql.v1.ScoringServiceGrpc;

/**
 * Runtime keys through the real suite (gateway, ingest, the embedded store): created with the local
 * key, usable at once, refused once revoked, still known after a restart (they are events in the
 * store); a dashboard:read key loads the dashboard's data calls and cannot ingest.
 */
class RuntimeKeysEndToEndTest {

    @TempDir
    Path directory;
    private RunningAllInOne allInOne;

    private RunningAllInOne start() throws Exception {
        allInOne = new RunningAllInOne(new SuiteModules(), directory, Map.of("sampleData.loadOnFirstStart", "false"));
        return allInOne;
    }

    @AfterEach
    void stop() throws Exception {
        if (allInOne != null) {
            allInOne.close();
        }
    }

    private KeyServiceGrpc.KeyServiceBlockingStub keys() {
        return KeyServiceGrpc.newBlockingStub(allInOne.channel()).withDeadlineAfter(30, TimeUnit.SECONDS)
                .withCallCredentials(RunningGateway.bearer(allInOne.localKey()));
    }

    /** The status code of a lead-list read (scores:read) with {@code key}. */
    private Status.Code readScores(String key) {
        try {
            ScoringServiceGrpc.newBlockingStub(allInOne.channel()).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .withCallCredentials(RunningGateway.bearer(key)).listAccountScores(ListAccountScoresRequest.getDefaultInstance());
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    @Test
    void aKeyCreatedAtRuntimeWorksAtOnceIsRefusedOnceRevokedAndSurvivesARestart() throws Exception {
        start();
        String kept = keys().createApiKey(CreateApiKeyRequest.newBuilder().setName("analyst").addScopes("scores:read").build())
                .getSecret();
        String revoked = keys().createApiKey(CreateApiKeyRequest.newBuilder().setName("temp").addScopes("scores:read").build())
                .getSecret();

        assertThat(readScores(kept)).isNotIn(Status.Code.UNAUTHENTICATED, Status.Code.PERMISSION_DENIED);
        assertThat(readScores(revoked)).isNotIn(Status.Code.UNAUTHENTICATED, Status.Code.PERMISSION_DENIED);
        keys().revokeApiKey(RevokeApiKeyRequest.newBuilder().setName("temp").build());
        assertThat(readScores(revoked)).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(allInOne.get("/api/v1/metrics", revoked).statusCode()).isEqualTo(401);

        allInOne.close();
        start();
        long started = System.nanoTime();
        while (readScores(kept) == Status.Code.UNAUTHENTICATED && System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5)) {
            Thread.sleep(20);
        }
        assertThat(readScores(kept)).as("read back from the store after the restart")
                .isNotIn(Status.Code.UNAUTHENTICATED, Status.Code.PERMISSION_DENIED);
        assertThat(readScores(revoked)).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(keys().listApiKeys(ListApiKeysRequest.getDefaultInstance()).getKeysList())
                .extracting(pql.v1.ApiKeyInfo::getName).containsExactly("analyst");
    }

    @Test
    void aDashboardKeyLoadsTheDashboardsDataCallsAndCannotIngest() throws Exception {
        start();
        String dashboard = keys().createApiKey(CreateApiKeyRequest.newBuilder().setName("wall-screen")
                .addScopes("dashboard:read").build()).getSecret();

        long started = System.nanoTime();
        // scoring answers 503 while it restores its projection after a start: wait for that, not for the key
        while (allInOne.get("/api/v1/spectrum?limit=20000", dashboard).statusCode() == 503
                && System.nanoTime() - started < TimeUnit.SECONDS.toNanos(30)) {
            Thread.sleep(50);
        }
        for (String call : new String[] {"/api/v1/dashboard/spectrum", "/api/v1/forecast?group_by=persona",
            "/api/v1/transitions/recent?limit=15", "/api/v1/forecast/lines.csv", "/api/v1/scores?pql_only=true",
            "/api/v1/metrics"}) {
            assertThat(allInOne.get(call, dashboard).statusCode()).as(call).isEqualTo(200);
        }
        StatusRuntimeException ingest = org.assertj.core.api.Assertions.catchThrowableOfType(() -> IngestServiceGrpc
                .newBlockingStub(allInOne.channel()).withDeadlineAfter(30, TimeUnit.SECONDS)
                .withCallCredentials(RunningGateway.bearer(dashboard))
                .ingestEvent(IngestEventRequest.newBuilder().setEvent(Event.newBuilder().setAccountId("acme")).build()),
                StatusRuntimeException.class);
        assertThat(ingest.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    }
}
