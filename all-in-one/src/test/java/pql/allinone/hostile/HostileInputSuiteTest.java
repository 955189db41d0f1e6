package pql.allinone.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import pql.allinone.SuiteModules;
import pql.allinone.support.RunningAllInOne;
import pql.gateway.auth.ApiKeys;
import pql.v1.AccountScore;
import pql.v1.Forecast;
import pql.v1.ForecastDimension;
import pql.v1.GetAccountScoreRequest;
import pql.v1.GetForecastRequest;
import pql.v1.GetPqlMetricsRequest;
import pql.v1.ListAccountScoresRequest;
import pql.v1.PqlMetrics;
import pql.v1.ScoreView;

/**
 * Issue #13's hostile-input suite: a table of named cases through the gateway of the real
 * all-in-one, each with the status and the field path (or reason) it must get, over gRPC and
 * HTTP. Expectations come from the documented limits (docs/LIMITS.md, ingest-service/README.md
 * "Validation rules", EventLimits), not from what the code answered when the table was written.
 *
 * <p>The table runs first; then, with every accepted extreme in the log (deals of 10^12 units, a
 * trial ending in 9999, quantities of 10^9, usage of 10^15, 2,000-event batches), the forecast,
 * the scores and the PQL metrics must still answer: nothing a caller can send breaks them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputSuiteTest {

    @TempDir
    static Path directory;
    static RunningAllInOne allInOne;
    static Calls calls;

    @BeforeAll
    static void start() throws Exception {
        String reader = ApiKeys.generate();
        String ingester = ApiKeys.generate();
        String finance = ApiKeys.generate();
        String bundled = Files.readString(RunningAllInOne.bundledConfig());
        String keys = """
                  apiKeys:
                    - {name: reader, sha256: %s, scopes: [scores:read]}
                    - {name: ingester, sha256: %s, scopes: [ingest:write]}
                    - {name: finance, sha256: %s, scopes: [forecast:read]}
                """.formatted(ApiKeys.sha256Hex(reader), ApiKeys.sha256Hex(ingester), ApiKeys.sha256Hex(finance));
        assertThat(bundled).contains("  apiKeys: []\n");
        Path config = directory.resolve("config-with-keys.yml");
        Files.writeString(config, bundled.replace("  apiKeys: []\n", keys));
        allInOne = new RunningAllInOne(new SuiteModules(), directory, Map.of("sampleData.loadOnFirstStart", "false"), config);
        calls = new Calls(allInOne, reader, ingester, finance);
        awaitReady(() -> calls.scoring().listAccountScores(ListAccountScoresRequest.getDefaultInstance()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (allInOne != null) {
            allInOne.close();
        }
    }

    /** Ingest first (its accepted extremes are what the reads and the last check look at). */
    static List<HostileCase> table() {
        List<HostileCase> all = new ArrayList<>();
        all.addAll(IngestCases.all(calls));
        all.addAll(BatchCases.all(calls));
        all.addAll(ReadCases.all(calls));
        all.addAll(HttpCases.all(calls));
        all.addAll(AuthCases.all(calls));
        return all;
    }

    @Test
    @Order(1)
    void theTableHasAtLeast100NamedCasesOverBothTransports() {
        List<HostileCase> table = table();
        Set<String> names = new HashSet<>();
        table.forEach(hostile -> assertThat(names.add(hostile.displayName())).as("unique: " + hostile.displayName()).isTrue());
        assertThat(table).hasSizeGreaterThanOrEqualTo(100);
        assertThat(table).extracting(HostileCase::transport).contains(HostileCase.Transport.GRPC, HostileCase.Transport.HTTP);
    }

    @TestFactory
    @Order(2)
    Stream<DynamicTest> hostileInputs() {
        return table().stream().map(hostile -> DynamicTest.dynamicTest(hostile.displayName(), hostile::run));
    }

    @Test
    @Order(3)
    void afterEveryAcceptedInputTheForecastScoresAndMetricsStillAnswer() throws Exception {
        // scoring applies the accepted extremes asynchronously: wait for the trial that holds them all
        AccountScore extreme = awaitScore(IngestCases.EXTREME_TRIAL, 5);
        assertThat(Double.isFinite(extreme.getEngagement().getScore())).as("engagement " + extreme.getEngagement().getScore()).isTrue();
        awaitScore(IngestCases.FAR_TRIAL, 1);
        awaitScore(IngestCases.OTHER_CURRENCY_TRIAL, 1);

        Forecast forecast = calls.forecast().getForecast(GetForecastRequest.newBuilder()
                .addGroupBy(ForecastDimension.FORECAST_DIMENSION_PERSONA).addGroupBy(ForecastDimension.FORECAST_DIMENSION_OPPORTUNITY_SIZE)
                .addGroupBy(ForecastDimension.FORECAST_DIMENSION_OWNER).addGroupBy(ForecastDimension.FORECAST_DIMENSION_CLOSE_MONTH).build());
        assertThat(forecast.getOpenTrials()).isEqualTo(2);
        // two deals at the limit: 2 x 10^18 micros, exact
        assertThat(forecast.getPipeline().getAmountMicros()).isEqualTo(2 * IngestCases.MAX_MONEY_MICROS);
        assertThat(forecast.getExpectedRevenue().getAmountMicros()).isBetween(0L, 2 * IngestCases.MAX_MONEY_MICROS);
        assertThat(forecast.getGroupsList()).extracting(group -> group.getCloseMonth()).contains("9999-12");
        assertThat(forecast.getSkippedOtherCurrency()).isEqualTo(1);
        Forecast inXxx = calls.forecast().getForecast(GetForecastRequest.newBuilder().setCurrency("XXX").build());
        assertThat(inXxx.getOpenTrials()).isEqualTo(1);
        assertThat(inXxx.getPipeline().getAmountMicros()).isEqualTo(IngestCases.MAX_MONEY_MICROS);

        for (ScoreView view : List.of(ScoreView.SCORE_VIEW_FULL, ScoreView.SCORE_VIEW_BASIC)) {
            for (AccountScore score : calls.scoring().listAccountScores(ListAccountScoresRequest.newBuilder().setPageSize(1000)
                    .setView(view).build()).getScoresList()) {
                assertThat(Double.isFinite(score.getEngagement().getScore())).as(score.getAccountId()).isTrue();
                assertThat(Double.isFinite(score.getEngagement().getPercentile())).as(score.getAccountId()).isTrue();
            }
        }
        PqlMetrics metrics = calls.metrics().getPqlMetrics(GetPqlMetricsRequest.getDefaultInstance());
        assertThat(metrics.getAccounts()).isGreaterThanOrEqualTo(2);

        for (String path : List.of("/api/v1/forecast?group_by=persona,close_month", "/api/v1/forecast/lines.csv", "/api/v1/metrics",
                "/api/v1/scores?page_size=1000", "/api/v1/spectrum", "/api/v1/scores/" + IngestCases.EXTREME_TRIAL)) {
            var response = allInOne.get(path, allInOne.localKey());
            assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
            assertThat(response.body()).as(path).doesNotContain("Infinity").doesNotContain("NaN");
        }
        assertThat(allInOne.get("/api/v1/forecast/lines.csv", allInOne.localKey()).body())
                .contains(IngestCases.EXTREME_TRIAL, IngestCases.FAR_TRIAL);
    }

    private static AccountScore awaitScore(String accountId, long events) throws Exception {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                AccountScore score = calls.scoring().getAccountScore(GetAccountScoreRequest.newBuilder().setAccountId(accountId).build());
                if (score.getEventsApplied() >= events) {
                    return score;
                }
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.NOT_FOUND && e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
                    throw e;
                }
            }
            assertThat(System.nanoTime()).as(accountId + " scored with " + events + " events within 60 s").isLessThan(giveUp);
            Thread.sleep(100);
        }
    }

    private static void awaitReady(Runnable read) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                read.run();
                return;
            } catch (StatusRuntimeException e) {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(System.nanoTime()).as("scoring ready within 60 s").isLessThan(giveUp);
                Thread.sleep(100);
            }
        }
    }
}
