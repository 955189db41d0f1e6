package pql.ingest.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.common.grpc.GrpcErrors;
import pql.eventstore.StoredEvent;
import pql.ingest.support.IngestHarness;
import pql.ingest.support.TestEvents;
import pql.v1.Event;
import pql.v1.EventResult;
import pql.v1.IngestBatchRequest;
import pql.v1.IngestBatchResponse;
import pql.v1.IngestEventRequest;
import pql.v1.ProductAction;

/**
 * Issue #13, finding 4: an event id sent again with other data is not a retry. It is REJECTED with
 * ALREADY_EXISTS and ErrorInfo reason EVENT_ID_REUSED, and the stored event stays as it was; the
 * same event sent again, even encoded differently, stays a DUPLICATE.
 */
class EventIdReuseTest {

    @TempDir
    Path directory;
    IngestHarness harness;

    @BeforeEach
    void start() {
        harness = IngestHarness.start(directory);
    }

    @AfterEach
    void stop() throws Exception {
        harness.close();
    }

    private static Event withProperties(String eventId, String... keysAndValues) {
        ProductAction.Builder action = ProductAction.newBuilder().setUserId("u-1").setAction("invoice_submitted");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            action.putProperties(keysAndValues[i], keysAndValues[i + 1]);
        }
        return TestEvents.base(eventId, "acme").setProductAction(action).build();
    }

    @Test
    void theSameEventEncodedInAnotherFieldOrderIsStillADuplicate() {
        Event sent = withProperties("evt-1", "client", "web", "plan", "trial");
        Event resent = withProperties("evt-1", "plan", "trial", "client", "web");
        assertThat(resent.toByteString()).as("another encoding of the same event").isNotEqualTo(sent.toByteString());
        EventResult first = harness.blocking().ingestEvent(IngestEventRequest.newBuilder().setEvent(sent).build()).getResult();

        EventResult again = harness.blocking().ingestEvent(IngestEventRequest.newBuilder().setEvent(resent).build()).getResult();

        assertThat(again.getStatus()).isEqualTo(EventResult.Status.STATUS_DUPLICATE);
        assertThat(again.getGlobalPosition()).isEqualTo(first.getGlobalPosition());
    }

    @Test
    void ingestEventRefusesAReusedIdWithAlreadyExistsAndLeavesTheStoredEventAsItWas() {
        Event original = TestEvents.productAction("evt-1", "acme");
        harness.blocking().ingestEvent(IngestEventRequest.newBuilder().setEvent(original).build());
        long head = harness.head();
        Event otherData = original.toBuilder().setProductAction(original.getProductAction().toBuilder().setQuantity(3)).build();

        assertThatThrownBy(() -> harness.blocking().ingestEvent(IngestEventRequest.newBuilder().setEvent(otherData).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, error -> {
                    assertThat(error.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.ALREADY_EXISTS);
                    assertThat(GrpcErrors.errorInfoOf(error)).get().extracting(ErrorInfo::getReason, ErrorInfo::getDomain)
                            .containsExactly("EVENT_ID_REUSED", "pql.v1");
                    assertThat(GrpcErrors.errorInfoOf(error).orElseThrow().getMetadataMap())
                            .containsEntry("event_id", "evt-1").containsEntry("stream_version", "0");
                });
        assertThat(harness.head()).isEqualTo(head);
        List<StoredEvent> stored = harness.store().readStream("account-acme", 0, 10);
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).envelope().getPayload()).isEqualTo(original.getProductAction().toByteString());
    }

    @Test
    void aReusedIdIsRefusedWhateverDiffersOccurredAtOrKind() {
        Event original = TestEvents.productAction("evt-1", "acme");
        harness.blocking().ingestEvent(IngestEventRequest.newBuilder().setEvent(original).build());

        IngestBatchResponse response = harness.blocking().ingestBatch(IngestBatchRequest.newBuilder()
                .addEvents(original.toBuilder().setOccurredAt(TestEvents.timestamp(TestEvents.NOW.minusSeconds(60))))
                .addEvents(TestEvents.planLimit("evt-1", "acme"))
                .addEvents(original)
                .build());

        assertThat(response.getResultsList()).extracting(EventResult::getStatus).containsExactly(
                EventResult.Status.STATUS_REJECTED, EventResult.Status.STATUS_REJECTED, EventResult.Status.STATUS_DUPLICATE);
    }

    @Test
    void inABatchTheReusedIdIsRejectedWithAlreadyExistsAndTheOtherItemsAreStored() {
        harness.blocking().ingestEvent(IngestEventRequest.newBuilder().setEvent(TestEvents.productAction("evt-1", "acme")).build());
        long head = harness.head();

        IngestBatchResponse response = harness.blocking().ingestBatch(IngestBatchRequest.newBuilder()
                .addEvents(TestEvents.productAction("evt-2", "acme"))
                .addEvents(TestEvents.communication("evt-1", "acme"))
                .addEvents(TestEvents.outcome("evt-3", "acme"))
                .build());

        assertThat(response.getResultsList()).extracting(EventResult::getStatus).containsExactly(
                EventResult.Status.STATUS_ACCEPTED, EventResult.Status.STATUS_REJECTED, EventResult.Status.STATUS_ACCEPTED);
        assertThat(response.getRejected()).isEqualTo(1);
        assertThat(response.getDuplicates()).isZero();
        EventResult reused = response.getResults(1);
        assertReused(reused.getError());
        assertThat(reused.getEventId()).isEqualTo("evt-1");
        assertThat(reused.getStreamVersion()).as("the stored event's place").isZero();
        assertThat(harness.head()).isEqualTo(head + 2);
        assertThat(harness.store().readStream("account-acme", 0, 10)).extracting(e -> e.envelope().getType())
                .containsExactly("pql.v1.ProductAction", "pql.v1.ProductAction", "pql.v1.Outcome");
    }

    @Test
    void twoItemsOfOneBatchWithOneIdAndOtherDataKeepTheFirst() {
        IngestBatchResponse response = harness.blocking().ingestBatch(IngestBatchRequest.newBuilder()
                .addEvents(TestEvents.productAction("same", "acme"))
                .addEvents(TestEvents.userIdentified("same", "acme"))
                .build());

        assertThat(response.getResultsList()).extracting(EventResult::getStatus).containsExactly(
                EventResult.Status.STATUS_ACCEPTED, EventResult.Status.STATUS_REJECTED);
        assertReused(response.getResults(1).getError());
        assertThat(harness.store().readStream("account-acme", 0, 10)).extracting(e -> e.envelope().getType())
                .containsExactly("pql.v1.ProductAction");
    }

    private static void assertReused(Status error) {
        assertThat(error.getCode()).isEqualTo(Code.ALREADY_EXISTS_VALUE);
        assertThat(error.getDetailsList()).anySatisfy(detail -> {
            assertThat(detail.is(ErrorInfo.class)).isTrue();
            try {
                assertThat(detail.unpack(ErrorInfo.class).getReason()).isEqualTo("EVENT_ID_REUSED");
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
        });
    }
}
