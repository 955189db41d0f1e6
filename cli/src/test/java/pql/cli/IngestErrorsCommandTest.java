package pql.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pql.v1.IngestError;
import pql.v1.IngestErrorServiceGrpc;
import pql.v1.ListIngestErrorsRequest;
import pql.v1.ListIngestErrorsResponse;

/** {@code pql ingest-errors}: what it asks the gateway, the table it prints, its usage errors. */
class IngestErrorsCommandTest {

    private final List<ListIngestErrorsRequest> requests = new CopyOnWriteArrayList<>();
    private volatile ListIngestErrorsResponse answer = ListIngestErrorsResponse.getDefaultInstance();
    private volatile Status failure;
    private Server server;

    @BeforeEach
    void start() throws Exception {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new IngestErrorServiceGrpc.IngestErrorServiceImplBase() {
                    @Override
                    public void listIngestErrors(ListIngestErrorsRequest request, StreamObserver<ListIngestErrorsResponse> observer) {
                        requests.add(request);
                        if (failure != null) {
                            observer.onError(failure.asRuntimeException());
                            return;
                        }
                        observer.onNext(answer);
                        observer.onCompleted();
                    }
                }).build().start();
    }

    @AfterEach
    void stop() {
        server.shutdownNow();
    }

    private FakeGateway.Run pql(String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "--target";
        all[1] = "127.0.0.1:" + server.getPort();
        all[2] = "--key";
        all[3] = "pql_test-key";
        System.arraycopy(args, 0, all, 4, args.length);
        return FakeGateway.run(all);
    }

    @Test
    void listsTheNewestRejectedItemsWithTheirReasons() {
        answer = ListIngestErrorsResponse.newBuilder().setTotalRejected(1234)
                .addErrors(IngestError.newBuilder().setReceivedAt(Timestamp.newBuilder().setSeconds(1_764_000_000L))
                        .setSource("segment").setApiKeyName("segment-prod").setMessageType("track").setEventName("Report Created")
                        .setMessageId("m-42").setCode("ACCOUNT_UNRESOLVED")
                        .setReason("no account: none of context.groupId, properties.groupId is set"))
                .addErrors(IngestError.newBuilder().setReceivedAt(Timestamp.newBuilder().setSeconds(1_763_999_000L))
                        .setApiKeyName("segment-prod").setMessageType("track").setMessageId("m-41").setAccountId("acme")
                        .setCode("INVALID_ARGUMENT").setReason("product_action.quantity: must be finite, 0..10^9"))
                .build();

        FakeGateway.Run run = pql("ingest-errors", "--limit", "20");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(requests).extracting(ListIngestErrorsRequest::getLimit).containsExactly(20);
        List<String> lines = FakeGateway.lines(run.out());
        assertThat(lines.get(0)).contains("RECEIVED", "KEY", "TYPE", "EVENT", "MESSAGE ID", "ACCOUNT", "CODE", "REASON");
        assertThat(lines.get(1)).contains("2025-11-24T16:00:00Z", "segment-prod", "track", "Report Created", "m-42",
                "ACCOUNT_UNRESOLVED", "no account: none of context.groupId");
        assertThat(lines.get(2)).contains("m-41", "acme", "product_action.quantity");
        assertThat(run.out()).contains("2 shown, newest first; 1,234 rejected since the gateway started");
    }

    @Test
    void saysSoWhenNothingWasRejected() {
        answer = ListIngestErrorsResponse.newBuilder().setTotalRejected(0).build();
        FakeGateway.Run run = pql("ingest-errors");
        assertThat(run.exitCode()).isZero();
        assertThat(requests).extracting(ListIngestErrorsRequest::getLimit).containsExactly(50);
        assertThat(run.out()).contains("no rejected items (0 since the gateway started)");
    }

    @Test
    void aLimitOutOfRangeIsAUsageErrorBeforeAnyCall() {
        for (String limit : List.of("0", "1001", "-3")) {
            FakeGateway.Run run = pql("ingest-errors", "-n", limit);
            assertThat(run.exitCode()).as(limit).isEqualTo(2);
            assertThat(run.err()).contains("--limit: must be between 1 and 1,000");
        }
        assertThat(requests).isEmpty();
        assertThat(pql("ingest-errors", "--help").out()).contains("Segment", "--limit");
    }

    @Test
    void aRefusalIsReportedWithItsReason() {
        failure = Status.PERMISSION_DENIED.withDescription("API key 'reader' lacks the scope ingest:write");
        FakeGateway.Run run = pql("ingest-errors");
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("lacks the scope ingest:write");
    }
}
