package pql.ingest.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.common.grpc.GrpcErrors;
import pql.eventstore.StreamIds;
import pql.ingest.support.IngestHarness;
import pql.v1.ApiKeyCreated;
import pql.v1.ApiKeyEvent;
import pql.v1.ApiKeyLogServiceGrpc;
import pql.v1.ApiKeyRevoked;
import pql.v1.AppendApiKeyEventRequest;
import pql.v1.ReadApiKeyEventsRequest;

/** The "pql-api-keys" stream through ingest's ApiKeyLogService, over a real embedded store, in process. */
class ApiKeyLogServiceTest {

    @TempDir
    Path directory;
    private IngestHarness ingest;
    private ApiKeyLogServiceGrpc.ApiKeyLogServiceBlockingStub log;

    @BeforeEach
    void start() {
        ingest = IngestHarness.start(directory);
        log = ApiKeyLogServiceGrpc.newBlockingStub(ingest.channel()).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        ingest.close();
    }

    private static ApiKeyEvent created(String name) {
        return ApiKeyEvent.newBuilder().setCreated(ApiKeyCreated.newBuilder().setName(name)
                .setSha256(ByteString.copyFrom(new byte[32])).addScopes("scores:read").setLastFour("abcd")).build();
    }

    private static StatusRuntimeException refusal(Runnable call) {
        return catchThrowableOfType(call::run, StatusRuntimeException.class);
    }

    @Test
    void eventsAreAppendedInOrderToTheirOwnStreamAndReadBackFromAVersion() {
        log.appendApiKeyEvent(AppendApiKeyEventRequest.newBuilder().setExpectedVersion(-1).setEvent(created("a")).build());
        long second = log.appendApiKeyEvent(AppendApiKeyEventRequest.newBuilder().setExpectedVersion(0)
                .setEvent(ApiKeyEvent.newBuilder().setRevoked(ApiKeyRevoked.newBuilder().setName("a").setRevokedBy("ops"))).build())
                .getStreamVersion();

        assertThat(second).isEqualTo(1);
        var all = log.readApiKeyEvents(ReadApiKeyEventsRequest.getDefaultInstance()).getEventsList();
        assertThat(all).extracting(ApiKeyEvent::getStreamVersion).containsExactly(0L, 1L);
        assertThat(all.get(0).getCreated().getName()).isEqualTo("a");
        assertThat(all.get(1).getRevoked().getRevokedBy()).isEqualTo("ops");
        assertThat(log.readApiKeyEvents(ReadApiKeyEventsRequest.newBuilder().setFromVersion(1).build()).getEventsList())
                .singleElement().satisfies(event -> assertThat(event.hasRevoked()).isTrue());
        assertThat(ingest.store().readStream(StreamIds.API_KEYS, 0, 10)).hasSize(2);
        assertThat(ingest.storedEvents()).as("no account stream is touched")
                .allMatch(event -> !StreamIds.isAccountStream(event.streamId()));
    }

    @Test
    void aStaleExpectedVersionIsAbortedAndStoresNothing() {
        log.appendApiKeyEvent(AppendApiKeyEventRequest.newBuilder().setExpectedVersion(-1).setEvent(created("a")).build());

        StatusRuntimeException raced = refusal(() -> log.appendApiKeyEvent(AppendApiKeyEventRequest.newBuilder()
                .setExpectedVersion(-1).setEvent(created("a")).build()));

        assertThat(raced.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
        assertThat(GrpcErrors.errorInfoOf(raced).orElseThrow().getReason()).isEqualTo(ApiKeyLogGrpcService.CONFLICT);
        assertThat(log.readApiKeyEvents(ReadApiKeyEventsRequest.getDefaultInstance()).getEventsCount()).isEqualTo(1);
    }

    @Test
    void incompleteEventsAndBadReadsAreInvalidArgument() {
        StatusRuntimeException noKind = refusal(() -> log.appendApiKeyEvent(AppendApiKeyEventRequest.newBuilder()
                .setExpectedVersion(-1).build()));
        StatusRuntimeException shortHash = refusal(() -> log.appendApiKeyEvent(AppendApiKeyEventRequest.newBuilder()
                .setExpectedVersion(-1).setEvent(ApiKeyEvent.newBuilder().setCreated(ApiKeyCreated.newBuilder().setName("a")
                        .setSha256(ByteString.copyFromUtf8("abc")).addScopes("scores:read"))).build()));
        StatusRuntimeException badRead = refusal(() -> log.readApiKeyEvents(ReadApiKeyEventsRequest.newBuilder()
                .setFromVersion(-1).setMaxCount(5000).build()));

        assertThat(GrpcErrors.fieldViolations(noKind)).extracting(v -> v.getField()).containsExactly("event");
        assertThat(GrpcErrors.fieldViolations(shortHash)).extracting(v -> v.getField()).containsExactly("event.created.sha256");
        assertThat(GrpcErrors.fieldViolations(badRead)).extracting(v -> v.getField()).containsExactly("from_version", "max_count");
        assertThat(noKind.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }
}
