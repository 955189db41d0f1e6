package pql.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.allinone.support.RunningAllInOne;
import pql.eventstore.ExpectedVersion;
import pql.eventstore.StreamIds;
import pql.eventstore.embedded.EmbeddedStoreOptions;
import pql.eventstore.embedded.RocksDbEventStore;
import pql.gateway.support.RunningGateway;
import pql.v1.AccountProfiled;
import pql.v1.Event;
import pql.v1.EventEnvelope;
import pql.v1.EventResult;
import pql.v1.Forecast;
import pql.v1.ForecastDimension;
import pql.v1.ForecastServiceGrpc;
import pql.v1.GetForecastRequest;
import pql.v1.IngestBatchRequest;
import pql.v1.IngestBatchResponse;
import pql.v1.IngestServiceGrpc;
import pql.v1.ListAccountScoresRequest;
import pql.v1.Money;
import pql.v1.Plan;
import pql.v1.ScoringServiceGrpc;

/**
 * Issue #13, finding 1, through the gateway of the real all-in-one: two trials with a deal size of
 * 9223372036854775807 micros (allowed then: any amount >= 0) made every GetForecast fail with
 * INTERNAL "long overflow" (HTTP 500), for every caller and forever, since events are never deleted.
 *
 * <p>Given two such trials in the log, written before ingest had a limit (straight into the store,
 * as an older version would have stored them): the forecast still answers, over gRPC and HTTP, with
 * the exact pipeline; and ingest now refuses such a deal size.
 */
class HugeDealsEndToEndTest {

    private static final long LARGEST = Long.MAX_VALUE;

    @TempDir
    static Path directory;
    static RunningAllInOne allInOne;

    @BeforeAll
    static void start() throws Exception {
        Instant now = Instant.now();
        try (RocksDbEventStore store = RocksDbEventStore.open(EmbeddedStoreOptions.defaults(directory.resolve("events")))) {
            for (String account : List.of("huge-1", "huge-2")) {
                store.append(StreamIds.forAccount(account), ExpectedVersion.ANY, List.of(profile(account, now)));
            }
        }
        allInOne = new RunningAllInOne(new SuiteModules(), directory, Map.of("sampleData.loadOnFirstStart", "false"));
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (scoring().listAccountScores(ListAccountScoresRequest.newBuilder().build()).getTotalSize() < 2) {
            assertThat(System.nanoTime()).as("both trials scored within 60 s").isLessThan(giveUp);
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (allInOne != null) {
            allInOne.close();
        }
    }

    private static EventEnvelope profile(String accountId, Instant at) {
        AccountProfiled profile = AccountProfiled.newBuilder().setName(accountId).setPlan(Plan.PLAN_TRIAL)
                .setDealSize(Money.newBuilder().setAmountMicros(LARGEST).setCurrency("USD"))
                .setTrialStart(timestamp(at.minus(Duration.ofDays(1)))).setTrialEnd(timestamp(at.plus(Duration.ofDays(20))))
                .build();
        return EventEnvelope.newBuilder().setEventId(accountId + "-profile").setType(AccountProfiled.getDescriptor().getFullName())
                .setAccountId(accountId).setOccurredAt(timestamp(at.minusSeconds(60))).setRecordedAt(timestamp(at.minusSeconds(60)))
                .setPayload(profile.toByteString()).setSchemaRevision(1).build();
    }

    @Test
    void getForecastStillAnswersOverGrpcWithTheExactPipeline() {
        Forecast forecast = forecasts().getForecast(GetForecastRequest.newBuilder()
                .addGroupBy(ForecastDimension.FORECAST_DIMENSION_PERSONA).build());

        assertThat(forecast.getOpenTrials()).isEqualTo(2);
        // no activity: two Heartbreakers at 5%, 461,168,601,842.738790 each (half-even to the micro)
        assertThat(forecast.getExpectedRevenue().getAmountMicros()).isEqualTo(922_337_203_685_477_580L);
        assertThat(forecast.getRange().getP90().getAmountMicros()).isGreaterThanOrEqualTo(922_337_203_685_477_580L);
        // 2 x 9,223,372,036,854.775807 units: past an int64 of micros, so exact in exact_amount
        assertThat(forecast.getPipeline().getExactAmount()).isEqualTo("18446744073709.551614");
        assertThat(forecast.getGroups(0).getPipeline().getExactAmount()).isEqualTo("18446744073709.551614");
    }

    @Test
    void theHttpForecastAnswers200() throws Exception {
        HttpResponse<String> response = allInOne.get("/api/v1/forecast?group_by=persona", allInOne.localKey());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"openTrials\":\"2\"").contains("\"exactAmount\":\"18446744073709.551614\"");
    }

    @Test
    void ingestNowRefusesSuchADealSizeAndTheForecastIsUnchanged() {
        Instant now = Instant.now();
        Event tooLarge = Event.newBuilder().setEventId("huge-3-profile").setAccountId("huge-3").setOccurredAt(timestamp(now))
                .setAccountProfiled(AccountProfiled.newBuilder().setPlan(Plan.PLAN_TRIAL)
                        .setDealSize(Money.newBuilder().setAmountMicros(LARGEST).setCurrency("USD"))).build();

        IngestBatchResponse response = IngestServiceGrpc.newBlockingStub(allInOne.channel())
                .withCallCredentials(RunningGateway.bearer(allInOne.localKey())).withDeadlineAfter(30, TimeUnit.SECONDS)
                .ingestBatch(IngestBatchRequest.newBuilder().addEvents(tooLarge).build());

        assertThat(response.getResults(0).getStatus()).isEqualTo(EventResult.Status.STATUS_REJECTED);
        List<String> fields = new ArrayList<>();
        pql.common.grpc.GrpcErrors.badRequestOf(response.getResults(0).getError()).orElseThrow().getFieldViolationsList()
                .forEach(violation -> fields.add(violation.getField()));
        assertThat(fields).containsExactly("account_profiled.deal_size.amount_micros");
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    private static ScoringServiceGrpc.ScoringServiceBlockingStub scoring() {
        return ScoringServiceGrpc.newBlockingStub(allInOne.channel())
                .withCallCredentials(RunningGateway.bearer(allInOne.localKey())).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private static ForecastServiceGrpc.ForecastServiceBlockingStub forecasts() {
        return ForecastServiceGrpc.newBlockingStub(allInOne.channel())
                .withCallCredentials(RunningGateway.bearer(allInOne.localKey())).withDeadlineAfter(30, TimeUnit.SECONDS);
    }
}
