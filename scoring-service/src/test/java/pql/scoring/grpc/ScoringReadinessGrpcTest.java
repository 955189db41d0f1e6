package pql.scoring.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.ErrorInfo;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.common.grpc.GrpcErrors;
import pql.common.telemetry.Telemetry;
import pql.eventstore.embedded.EmbeddedStoreOptions;
import pql.eventstore.embedded.RocksDbEventStore;
import pql.scoring.ScoringModule;
import pql.scoring.ScoringSettings;
import pql.scoring.testing.Await;
import pql.eventstore.LogReadGate;
import pql.scoring.testing.SampleHistory;
import pql.v1.DefinitionServiceGrpc;
import pql.v1.DiffRescoreRequest;
import pql.v1.GetAccountScoreRequest;
import pql.v1.GetDefinitionRequest;
import pql.v1.GetPqlMetricsRequest;
import pql.v1.ListAccountScoresRequest;
import pql.v1.MetricsServiceGrpc;
import pql.v1.ScoringServiceGrpc;
import pql.v1.StreamAccountScoresRequest;

/**
 * The scoring module started on a log it cannot read yet (its projection is where a restart left
 * it, before any replay): every read of the projection is UNAVAILABLE with the reason and how far
 * the segments got, never a partial answer; its readiness and health check say so. Once the
 * projection has caught up with the head at start, the same reads answer.
 */
class ScoringReadinessGrpcTest {

    private static final SampleHistory HISTORY = SampleHistory.generate(41, 12, 20);

    @TempDir
    Path directory;

    private RocksDbEventStore store;
    private LogReadGate log;
    private ScoringModule module;
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void startOnALogNotReadYet() throws Exception {
        store = RocksDbEventStore.open(EmbeddedStoreOptions.defaults(directory.resolve("events")));
        HISTORY.appendTo(store, 0, HISTORY.size(), 50);
        log = new LogReadGate(store);
        module = new ScoringModule(new ScoringSettings().setDataDirectory(directory.resolve("scoring").toString()),
                log, Telemetry.noop(), Clock.systemUTC());
        module.start();
        String name = InProcessServerBuilder.generateName();
        InProcessServerBuilder builder = InProcessServerBuilder.forName(name).directExecutor();
        module.services().forEach(builder::addService);
        server = builder.build().start();
        channel = InProcessChannelBuilder.forName(name).build();
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        log.open();
        module.close();
        store.close();
    }

    @Test
    void beforeTheProjectionCaughtUpEveryReadOfItIsUnavailableWithHowFarItGot() {
        var scoring = ScoringServiceGrpc.newBlockingStub(channel);
        var metrics = MetricsServiceGrpc.newBlockingStub(channel);
        var definitions = DefinitionServiceGrpc.newBlockingStub(channel);
        String account = HISTORY.events().get(0).getAccountId();

        assertRestoring(() -> scoring.getAccountScore(GetAccountScoreRequest.newBuilder().setAccountId(account).build()));
        assertRestoring(() -> scoring.listAccountScores(ListAccountScoresRequest.getDefaultInstance()));
        assertRestoring(() -> scoring.streamAccountScores(StreamAccountScoresRequest.getDefaultInstance()).hasNext());
        assertRestoring(() -> metrics.getPqlMetrics(GetPqlMetricsRequest.getDefaultInstance()));
        assertRestoring(() -> definitions.diffRescore(DiffRescoreRequest.newBuilder().setVersion(1).build()));
        assertThat(definitions.getDefinition(GetDefinitionRequest.newBuilder().setVersion(0).build()).getVersion())
                .as("definitions are not the projection's: they answer").isEqualTo(1);
        assertThat(module.readiness().isReady()).isFalse();
        assertThat(module.healthChecks().get("scoring-projection").execute().isHealthy()).isFalse();
        assertThat(module.healthChecks().get("scoring-projection").execute().getMessage())
                .contains("0 of 2 segments caught up to position " + store.headPosition());
    }

    @Test
    void onceTheProjectionCaughtUpWithTheHeadAtStartTheReadsAnswerWithEveryAccount() {
        log.open();

        Await.until("ready", () -> module.readiness().isReady());

        var scoring = ScoringServiceGrpc.newBlockingStub(channel);
        assertThat(scoring.listAccountScores(ListAccountScoresRequest.getDefaultInstance()).getTotalSize()).isEqualTo(12);
        assertThat(module.healthChecks().get("scoring-projection").execute().isHealthy()).isTrue();
        assertThat(module.readiness().description()).contains("ready: 2 of 2 segments caught up");
    }

    private static void assertRestoring(ThrowingCallable read) {
        assertThatThrownBy(read).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(e.getStatus().getDescription()).contains("scoring is not ready", "restoring",
                    "reads answer UNAVAILABLE until");
            ErrorInfo info = GrpcErrors.errorInfoOf(e).orElseThrow();
            assertThat(info.getDomain()).isEqualTo(GrpcErrors.DOMAIN);
            assertThat(info.getReason()).isEqualTo(ReadinessGate.REASON);
        });
    }
}
