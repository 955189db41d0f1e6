package pql.allinone.restart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.allinone.AllInOneConfig;
import pql.allinone.SuiteFactory;
import pql.allinone.SuiteModules;
import pql.allinone.support.RunningAllInOne;
import pql.common.ServiceModule;
import pql.common.grpc.GrpcErrors;
import pql.common.telemetry.Telemetry;
import pql.eventstore.EventStore;
import pql.eventstore.LogReadGate;
import pql.gateway.support.RunningGateway;
import pql.v1.ForecastServiceGrpc;
import pql.v1.GetAccountScoreRequest;
import pql.v1.GetForecastRequest;
import pql.v1.ListAccountScoresRequest;
import pql.v1.ScoringServiceGrpc;

/**
 * The all-in-one, through its gateway, while scoring's projection has not caught up with the log
 * head it recorded at start (its log held back, as a restart is before its replay): grpc.health
 * says NOT_SERVING for scoring's services and for "", and score and forecast reads (gRPC and HTTP)
 * are UNAVAILABLE with scoring's explanation, never a partial answer. Released, scoring catches
 * up, health flips to SERVING and the same reads answer.
 */
class AllInOneReadinessTest {

    private static final int ACCOUNTS = 30;

    @TempDir
    Path directory;

    @Test
    void untilScoringHasCaughtUpItIsNotServingAndItsReadsAreUnavailableThenEverythingAnswers() throws Exception {
        HoldingScoringsLog suite = new HoldingScoringsLog();
        try (RunningAllInOne allInOne = new RunningAllInOne(suite, directory,
                Map.of("sampleData.accounts", Integer.toString(ACCOUNTS)))) {
            try {
                readsWaitForScoring(allInOne, suite);
            } finally {
                suite.scoringLog.open();
            }
        }
    }

    private static void readsWaitForScoring(RunningAllInOne allInOne, HoldingScoringsLog suite) throws Exception {
        var credentials = RunningGateway.bearer(allInOne.localKey());
        var scoring = ScoringServiceGrpc.newBlockingStub(allInOne.channel()).withCallCredentials(credentials);
        var forecast = ForecastServiceGrpc.newBlockingStub(allInOne.channel()).withCallCredentials(credentials);
        var health = HealthGrpc.newBlockingStub(allInOne.channel());
        allInOne.app().gateway().healthMonitor().checkAll();

        assertThat(status(health, "")).isEqualTo(ServingStatus.NOT_SERVING);
        assertThat(status(health, "pql.v1.ScoringService")).isEqualTo(ServingStatus.NOT_SERVING);
        assertThat(status(health, "pql.v1.MetricsService")).isEqualTo(ServingStatus.NOT_SERVING);
        assertThat(status(health, "pql.v1.IngestService")).isEqualTo(ServingStatus.SERVING);
        assertUnavailable(() -> scoring.getAccountScore(GetAccountScoreRequest.newBuilder().setAccountId("any").build()),
                "SCORING_RESTORING");
        assertUnavailable(() -> scoring.listAccountScores(ListAccountScoresRequest.getDefaultInstance()),
                "SCORING_RESTORING");
        // forecast reads through scoring: scoring's UNAVAILABLE reaches its caller as UNAVAILABLE
        assertUnavailable(() -> forecast.getForecast(GetForecastRequest.getDefaultInstance()), "SCORING_UNAVAILABLE");
        HttpResponse<String> scores = allInOne.get("/api/v1/scores", allInOne.localKey());
        assertThat(scores.statusCode()).isEqualTo(503);
        assertThat(scores.body()).contains("scoring is not ready");

        suite.scoringLog.open();

        await(() -> status(health, "") == ServingStatus.SERVING);
        assertThat(status(health, "pql.v1.ScoringService")).isEqualTo(ServingStatus.SERVING);
        await(() -> scoring.listAccountScores(ListAccountScoresRequest.newBuilder().setPageSize(1).build())
                .getTotalSize() == ACCOUNTS);
        assertThat(forecast.getForecast(GetForecastRequest.getDefaultInstance()).getOpenTrials()).isPositive();
    }

    private static ServingStatus status(HealthGrpc.HealthBlockingStub health, String service) {
        return health.withDeadlineAfter(5, TimeUnit.SECONDS).check(HealthCheckRequest.newBuilder().setService(service).build())
                .getStatus();
    }

    private static void assertUnavailable(ThrowingCallable read, String reason) {
        assertThatThrownBy(read).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(e.getStatus().getDescription()).contains("scoring is not ready",
                    "0 of 2 segments caught up to position");
            assertThat(GrpcErrors.errorInfoOf(e).orElseThrow().getReason()).isEqualTo(reason);
        });
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s");
            }
            Thread.sleep(50);
        }
    }

    /** The real services; scoring's view of the store has its log held back. */
    private static final class HoldingScoringsLog implements SuiteFactory {
        private final SuiteModules real = new SuiteModules();
        private volatile LogReadGate scoringLog;

        @Override
        public ServiceModule ingest(AllInOneConfig config, SettingsBinder settings, EventStore store, Telemetry telemetry,
                Clock clock) {
            return real.ingest(config, settings, store, telemetry, clock);
        }

        @Override
        public ServiceModule scoring(AllInOneConfig config, SettingsBinder settings, EventStore store, Telemetry telemetry,
                Clock clock) {
            scoringLog = new LogReadGate(store);
            return real.scoring(config, settings, scoringLog, telemetry, clock);
        }

        @Override
        public ServiceModule forecast(AllInOneConfig config, SettingsBinder settings, io.grpc.Channel scoringChannel,
                Telemetry telemetry, Clock clock) {
            return real.forecast(config, settings, scoringChannel, telemetry, clock);
        }
    }
}
