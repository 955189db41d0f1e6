package pql.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.Timestamp;
import com.google.rpc.RetryInfo;
import io.grpc.CallCredentials;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.allinone.support.RunningAllInOne;
import pql.common.ServiceModule;
import pql.common.grpc.GrpcErrors;
import pql.common.telemetry.Telemetry;
import pql.eventstore.AppendRequest;
import pql.eventstore.AppendResult;
import pql.eventstore.EventStore;
import pql.eventstore.ForwardingEventStore;
import pql.gateway.support.RunningGateway;
import pql.v1.AccountScore;
import pql.v1.Event;
import pql.v1.EventResult;
import pql.v1.GetAccountScoreRequest;
import pql.v1.IngestBatchRequest;
import pql.v1.IngestBatchResponse;
import pql.v1.IngestEventRequest;
import pql.v1.IngestEventResponse;
import pql.v1.IngestServiceGrpc;
import pql.v1.ProductAction;
import pql.v1.ScoringServiceGrpc;

/**
 * Issue #13, finding 7, through the gateway: with ingest's store held (every append waits, as
 * behind a disk that stopped) the ingest budget stays full; a further call waits the admission
 * wait and gets RESOURCE_EXHAUSTED with ErrorInfo INGEST_OVERLOADED and RetryInfo exactly as
 * ingest-service sent them, while score reads keep answering.
 */
class OverloadEndToEndTest {

    private static final Instant AT = Instant.now().minusSeconds(3_600);

    @TempDir
    Path directory;
    private RunningAllInOne allInOne;
    private final HeldAppends held = new HeldAppends();

    @AfterEach
    void stop() throws Exception {
        held.release();
        if (allInOne != null) {
            allInOne.close();
        }
    }

    @Test
    void anIngestCallThatFindsNoRoomIsRefusedWithRetryInfoThroughTheGatewayAndScoreReadsStillAnswer() throws Exception {
        allInOne = new RunningAllInOne(new HeldIngestStore(held), directory, Map.of(
                "sampleData.loadOnFirstStart", "false",
                "ingest.maxInFlightEvents", "10",
                "ingest.maxAdmissionWait", "300ms"));
        CallCredentials key = RunningGateway.bearer(allInOne.localKey());
        Channel gateway = allInOne.channel();
        IngestServiceGrpc.IngestServiceBlockingStub ingest = IngestServiceGrpc.newBlockingStub(gateway).withCallCredentials(key);
        IngestServiceGrpc.IngestServiceFutureStub ingestAsync = IngestServiceGrpc.newFutureStub(gateway).withCallCredentials(key);
        ScoringServiceGrpc.ScoringServiceBlockingStub scores = ScoringServiceGrpc.newBlockingStub(gateway).withCallCredentials(key);

        assertThat(ingest.ingestEvent(IngestEventRequest.newBuilder().setEvent(action("seen-1", "acme")).build())
                .getResult().getStatus()).isEqualTo(EventResult.Status.STATUS_ACCEPTED);
        AccountScore before = awaitScore(scores, "acme");

        held.hold();
        ListenableFuture<IngestBatchResponse> filling = ingestAsync.ingestBatch(batch("fill", 10));
        held.awaitHeld(1);
        // more callers waiting for room: they hold no thread while they wait
        List<ListenableFuture<IngestEventResponse>> waiting = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            waiting.add(ingestAsync.withDeadlineAfter(60, TimeUnit.SECONDS)
                    .ingestEvent(IngestEventRequest.newBuilder().setEvent(action("wait-" + i, "acme")).build()));
        }

        assertThatThrownBy(() -> ingest.withDeadlineAfter(30, TimeUnit.SECONDS).ingestBatch(batch("late", 3)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, refused -> {
                    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    assertThat(GrpcErrors.errorInfoOf(refused)).hasValueSatisfying(
                            info -> assertThat(info.getReason()).isEqualTo("INGEST_OVERLOADED"));
                    RetryInfo retry = GrpcErrors.retryInfoOf(refused).orElseThrow();
                    assertThat(retry.getRetryDelay().getSeconds() * 1_000 + retry.getRetryDelay().getNanos() / 1_000_000)
                            .isBetween(100L, 10_000L);
                });
        // the store is held and ingest is full, yet the score answers
        AccountScore during = scores.withDeadlineAfter(10, TimeUnit.SECONDS)
                .getAccountScore(GetAccountScoreRequest.newBuilder().setAccountId("acme").build());
        assertThat(during.getAccountId()).isEqualTo(before.getAccountId());
        assertThat(held.heldAppends()).as("nothing more reached the store").isEqualTo(1);

        held.release();
        assertThat(filling.get(30, TimeUnit.SECONDS).getAccepted()).isEqualTo(10);
        for (ListenableFuture<IngestEventResponse> call : waiting) {
            try {
                call.get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException refusedMeanwhile) {
                assertThat(Status.fromThrowable(refusedMeanwhile).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            }
        }
        // what was refused was not stored: its ids are new to the store when retried
        assertThat(ingest.ingestBatch(batch("late", 3)).getAccepted()).isEqualTo(3);
    }

    private static AccountScore awaitScore(ScoringServiceGrpc.ScoringServiceBlockingStub scores, String account)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return scores.withDeadlineAfter(5, TimeUnit.SECONDS)
                        .getAccountScore(GetAccountScoreRequest.newBuilder().setAccountId(account).build());
            } catch (StatusRuntimeException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                Thread.sleep(50);
            }
        }
    }

    private static IngestBatchRequest batch(String prefix, int count) {
        return IngestBatchRequest.newBuilder()
                .addAllEvents(IntStream.range(0, count).mapToObj(i -> action(prefix + "-" + i, "acme")).toList()).build();
    }

    private static Event action(String eventId, String accountId) {
        return Event.newBuilder().setEventId(eventId).setAccountId(accountId)
                .setOccurredAt(Timestamp.newBuilder().setSeconds(AT.getEpochSecond()))
                .setProductAction(ProductAction.newBuilder().setUserId("u1").setAction("report_created").setQuantity(1))
                .build();
    }

    /** While held, appends wait (as behind a stopped disk); released, they go to the store in order. */
    static final class HeldAppends {
        private final List<Runnable> waiting = new ArrayList<>();
        private boolean holding;

        synchronized void hold() {
            holding = true;
        }

        void release() {
            List<Runnable> go;
            synchronized (this) {
                holding = false;
                go = List.copyOf(waiting);
                waiting.clear();
            }
            go.forEach(Runnable::run);
        }

        synchronized int heldAppends() {
            return waiting.size();
        }

        void awaitHeld(int appends) throws InterruptedException {
            for (int i = 0; i < 1_000 && heldAppends() < appends; i++) {
                Thread.sleep(10);
            }
            assertThat(heldAppends()).isEqualTo(appends);
        }

        EventStore around(EventStore store) {
            return new ForwardingEventStore(store) {
                @Override
                public CompletableFuture<List<AppendResult>> appendAsync(List<AppendRequest> requests) {
                    synchronized (HeldAppends.this) {
                        if (holding) {
                            CompletableFuture<List<AppendResult>> result = new CompletableFuture<>();
                            waiting.add(() -> delegate.appendAsync(requests).whenComplete((r, e) -> {
                                if (e != null) {
                                    result.completeExceptionally(e);
                                } else {
                                    result.complete(r);
                                }
                            }));
                            return result;
                        }
                    }
                    return delegate.appendAsync(requests);
                }
            };
        }
    }

    /** The real suite, ingest writing through the held store. */
    static final class HeldIngestStore implements SuiteFactory {
        private final SuiteModules real = new SuiteModules();
        private final HeldAppends held;

        HeldIngestStore(HeldAppends held) {
            this.held = held;
        }

        @Override
        public ServiceModule ingest(AllInOneConfig config, SettingsBinder settings, EventStore store, Telemetry telemetry, Clock clock) {
            return real.ingest(config, settings, held.around(store), telemetry, clock);
        }

        @Override
        public ServiceModule scoring(AllInOneConfig config, SettingsBinder settings, EventStore store, Telemetry telemetry, Clock clock) {
            return real.scoring(config, settings, store, telemetry, clock);
        }

        @Override
        public ServiceModule forecast(AllInOneConfig config, SettingsBinder settings, Channel scoringChannel, Telemetry telemetry,
                Clock clock) {
            return real.forecast(config, settings, scoringChannel, telemetry, clock);
        }
    }
}
