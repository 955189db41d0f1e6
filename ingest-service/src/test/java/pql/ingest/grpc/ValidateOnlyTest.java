package pql.ingest.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.ingest.support.IngestHarness;
import pql.ingest.support.TestEvents;
import pql.v1.Event;
import pql.v1.EventResult;
import pql.v1.IngestBatchRequest;
import pql.v1.IngestBatchResponse;

/** IngestBatch with validate_only: the same checks per item, nothing stored (pql ingest --dry-run). */
class ValidateOnlyTest {

    @TempDir
    Path directory;
    IngestHarness harness;

    @AfterEach
    void stop() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void validItemsAreAnsweredValidInvalidOnesRejectedAndNothingIsStored() {
        harness = IngestHarness.start(directory);
        Event good = TestEvents.productAction("evt-1", "acme");
        Event bad = good.toBuilder().setEventId("evt 2").build();
        long headBefore = harness.store().headPosition();

        IngestBatchResponse response = harness.blocking().ingestBatch(IngestBatchRequest.newBuilder()
                .addEvents(good).addEvents(bad).addEvents(TestEvents.accountProfiled("evt-3", "globex"))
                .setValidateOnly(true).build());

        assertThat(response.getResultsList()).extracting(EventResult::getStatus).containsExactly(
                EventResult.Status.STATUS_VALID, EventResult.Status.STATUS_REJECTED, EventResult.Status.STATUS_VALID);
        assertThat(response.getValid()).isEqualTo(2);
        assertThat(response.getRejected()).isEqualTo(1);
        assertThat(response.getAccepted()).isZero();
        assertThat(response.getResults(1).getError().getMessage()).startsWith("invalid event: event_id:");
        assertThat(response.getResults(0).getGlobalPosition()).isZero();
        assertThat(harness.store().headPosition()).isEqualTo(headBefore);
        assertThat(harness.store().readStream("account-acme", 0, 10)).isEmpty();

        // the same batch for real is stored: validate_only was what kept it out
        IngestBatchResponse stored = harness.blocking().ingestBatch(IngestBatchRequest.newBuilder().addEvents(good).build());
        assertThat(stored.getResults(0).getStatus()).isEqualTo(EventResult.Status.STATUS_ACCEPTED);
        assertThat(harness.store().readStream("account-acme", 0, 10)).hasSize(1);
    }
}
