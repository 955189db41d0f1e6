package pql.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
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
import pql.gateway.support.RunningGateway;
import pql.v1.Event;
import pql.v1.IngestBatchRequest;
import pql.v1.IngestBatchResponse;
import pql.v1.IngestServiceGrpc;
import pql.v1.ProductAction;

/**
 * The product's figures on the all-in-one's admin port (issue #15: 135 metrics and none about the
 * product): after a real ingest through the gateway, {@code /prometheus} counts the events by
 * result and reason, the gRPC call by method and code, and scoring's lag back at 0.
 */
class DomainMetricsEndToEndTest {

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
}
