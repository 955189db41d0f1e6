package pql.forecast.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static pql.forecast.support.Scores.account;
import static pql.forecast.support.Scores.timestamp;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pql.common.grpc.GrpcErrors;
import pql.forecast.support.InProcessForecast;
import pql.forecast.support.ScoringServiceFixture;
import pql.v1.*;

/**
 * Forecast history and waterfall over in-process gRPC (issue #14): each point is the forecast as
 * known at its instant (a backfill recorded later does not move it), points of the settled past
 * are computed once, and the waterfall's steps sum exactly to the difference of its two ends.
 * The server's clock says 2025-03-01; scoring knew a1+a2 from Feb 1, a1..a3 from Feb 15.
 */
class ForecastHistoryGrpcTest {

    private static final Instant NOW = Instant.parse("2025-03-01T00:00:00Z");

    private ScoringServiceFixture scoring;
    private InProcessForecast forecast;
    private ForecastServiceGrpc.ForecastServiceBlockingStub forecasts;

    @BeforeEach
    void start() throws Exception {
        scoring = ScoringServiceFixture.inProcess();
        scoring.publish(1, Map.of());
        List<AccountScore> early = List.of(
                account("a1").persona(Persona.PERSONA_FIZZLER).deal("1000.00").position(1).build(),       // 100.00
                account("a2").persona(Persona.PERSONA_GOLDEN_LEAD).deal("2000.00").position(2).build());  // 1,800.00
        List<AccountScore> later = List.of(
                account("a1").persona(Persona.PERSONA_GOLDEN_LEAD).deal("1000.00").position(4).build(),   // 900.00
                account("a2").persona(Persona.PERSONA_GOLDEN_LEAD).deal("2000.00").position(2).plan(Plan.PLAN_PAID)
                        .closed(OutcomeKind.OUTCOME_KIND_CONVERTED, "2025-02-10T00:00:00Z", Persona.PERSONA_GOLDEN_LEAD).build(),
                account("a3").persona(Persona.PERSONA_SILENT_SUCCESS).deal("4000.00").position(5).build()); // 3,000.00
        scoring.put(1, later);
        scoring.putKnownAt(1, Instant.parse("2025-02-01T00:00:00Z").toEpochMilli(), 2, early)
                .putKnownAt(1, Instant.parse("2025-02-15T00:00:00Z").toEpochMilli(), 5, later);
        forecast = new InProcessForecast(scoring, NOW);
        forecasts = forecast.forecasts();
    }

    @AfterEach
    void stop() throws Exception {
        forecast.close();
        scoring.close();
    }

    @Test
    void eachWeeklyPointIsTheForecastAsKnownAtItsInstantAndSettledPointsAreComputedOnce() {
        GetForecastHistoryRequest request = GetForecastHistoryRequest.newBuilder()
                .setFrom(timestamp("2025-02-01T00:00:00Z")).setTo(timestamp("2025-02-22T00:00:00Z")).build();

        ForecastHistory history = forecasts.getForecastHistory(request);

        assertThat(history.getPointsList()).extracting(Forecast::getAsOf).containsExactly(timestamp("2025-02-01T00:00:00Z"),
                timestamp("2025-02-08T00:00:00Z"), timestamp("2025-02-15T00:00:00Z"), timestamp("2025-02-22T00:00:00Z"));
        assertThat(history.getPointsList()).extracting(point -> point.getExpectedRevenue().getAmountMicros())
                .containsExactly(1_900_000_000L, 1_900_000_000L, 3_900_000_000L, 3_900_000_000L);
        assertThat(history.getPoints(0).getKnownAt()).isEqualTo(timestamp("2025-02-01T00:00:00Z"));
        assertThat(history.getPoints(2).getOpenTrials()).isEqualTo(2);

        int streamsBefore = scoring.streamRequests().size();
        assertThat(forecasts.getForecastHistory(request)).isEqualTo(history);
        assertThat(scoring.streamRequests()).as("settled points are kept, not asked again").hasSize(streamsBefore);
    }

    @Test
    void theWaterfallBetweenTwoInstantsSumsExactlyToTheDifference() {
        ForecastWaterfall waterfall = forecasts.getForecastWaterfall(GetForecastWaterfallRequest.newBuilder()
                .setFrom(timestamp("2025-02-01T00:00:00Z")).setTo(timestamp("2025-02-20T00:00:00Z")).build());

        long start = waterfall.getStart().getExpectedRevenue().getAmountMicros();
        long end = waterfall.getEnd().getExpectedRevenue().getAmountMicros();
        assertThat(start).isEqualTo(1_900_000_000L);
        assertThat(end).isEqualTo(3_900_000_000L);
        assertThat(waterfall.getStepsList().stream().mapToLong(step -> step.getAmount().getAmountMicros()).sum())
                .isEqualTo(end - start);
        Map<WaterfallMovement, Long> amounts = new java.util.EnumMap<>(WaterfallMovement.class);
        waterfall.getStepsList().forEach(step -> amounts.put(step.getMovement(), step.getAmount().getAmountMicros()));
        assertThat(amounts).containsEntry(WaterfallMovement.WATERFALL_MOVEMENT_CLOSED_WON, -1_800_000_000L)
                .containsEntry(WaterfallMovement.WATERFALL_MOVEMENT_PERSONA_UP, 800_000_000L)
                .containsEntry(WaterfallMovement.WATERFALL_MOVEMENT_NEW_TRIAL, 3_000_000_000L);
        WaterfallStep up = waterfall.getStepsList().stream()
                .filter(step -> step.getMovement() == WaterfallMovement.WATERFALL_MOVEMENT_PERSONA_UP).findFirst().orElseThrow();
        assertThat(up.getLargest(0).getAccountId()).isEqualTo("a1");
        assertThat(up.getLargest(0).getPersonaBefore()).isEqualTo(Persona.PERSONA_FIZZLER);
    }

    @Test
    void badRangesStepsAndLimitsNameTheirField() {
        assertInvalid(() -> forecasts.getForecastHistory(GetForecastHistoryRequest.getDefaultInstance()), "from");
        assertInvalid(() -> forecasts.getForecastHistory(GetForecastHistoryRequest.newBuilder()
                .setFrom(timestamp("2025-02-10T00:00:00Z")).setTo(timestamp("2025-02-01T00:00:00Z")).build()), "to");
        assertInvalid(() -> forecasts.getForecastHistory(GetForecastHistoryRequest.newBuilder()
                .setFrom(timestamp("2025-02-01T00:00:00Z")).setTo(timestamp("2026-02-01T00:00:00Z")).build()), "to");
        assertInvalid(() -> forecasts.getForecastHistory(GetForecastHistoryRequest.newBuilder()
                .setFrom(timestamp("2000-01-01T00:00:00Z")).build()), "from");
        assertInvalid(() -> forecasts.getForecastHistory(GetForecastHistoryRequest.newBuilder()
                .setFrom(timestamp("2025-02-01T00:00:00Z")).setStepValue(9).build()), "step");
        assertInvalid(() -> forecasts.getForecastWaterfall(GetForecastWaterfallRequest.newBuilder()
                .setFrom(timestamp("2025-02-01T00:00:00Z")).setAccountsPerStep(5000).build()), "accounts_per_step");
        assertInvalid(() -> forecasts.getForecastWaterfall(GetForecastWaterfallRequest.newBuilder()
                .setFrom(timestamp("2025-02-01T00:00:00Z")).setToDefinitionVersion(-1).build()), "to_definition_version");
    }

    private static void assertInvalid(Runnable call, String field) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(GrpcErrors.fieldViolations(e)).extracting(v -> v.getField()).contains(field);
        });
    }
}
