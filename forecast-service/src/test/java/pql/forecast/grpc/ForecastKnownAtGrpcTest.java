package pql.forecast.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static pql.forecast.support.Scores.account;
import static pql.forecast.support.Scores.timestamp;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pql.common.grpc.GrpcErrors;
import pql.forecast.support.ForecastHarness;
import pql.forecast.support.ScoringServiceFixture;
import pql.v1.*;

/**
 * known_at through ForecastService (over in-process gRPC, scores from the scoring fixture): the
 * knowledge instant goes to scoring, a known_at request never reads or fills the current-portfolio
 * cache, answers echo as_of / known_at / head_position (every CSV line too), and future instants are
 * INVALID_ARGUMENT on their field. The server's clock says 2025-03-01.
 */
class ForecastKnownAtGrpcTest {

    private static final Instant NOW = Instant.parse("2025-03-01T00:00:00Z");
    private static final Timestamp T = timestamp("2025-02-25T00:00:00Z");

    private ScoringServiceFixture scoring;
    private ForecastHarness harness;
    private ForecastServiceGrpc.ForecastServiceBlockingStub forecasts;

    @BeforeEach
    void start() throws Exception {
        scoring = ScoringServiceFixture.inProcess();
        scoring.publish(1, Map.of()).publish(2, Map.of(Persona.PERSONA_FIZZLER, 0.5));
        List<AccountScore> now = List.of(
                account("a1").persona(Persona.PERSONA_GOLDEN_LEAD).deal("1000.00").position(1).build(),
                account("a2").persona(Persona.PERSONA_FIZZLER).deal("2000.00").position(2).build(),
                account("a3").persona(Persona.PERSONA_SILENT_SUCCESS).deal("3000.00").position(3).build());
        scoring.put(1, now).put(2, now);
        // what was known on the 25th: a1 and a2 only, up to log position 2
        List<AccountScore> known = List.of(
                account("a1").persona(Persona.PERSONA_GOLDEN_LEAD).deal("1000.00").position(1).build(),
                account("a2").persona(Persona.PERSONA_FIZZLER).deal("2000.00").position(2).build());
        long t = Instant.parse("2025-02-25T00:00:00Z").toEpochMilli();
        scoring.putKnownAt(1, t, 2, known).putKnownAt(2, t, 2, known);
        harness = new ForecastHarness(scoring, NOW);
        forecasts = harness.forecasts();
    }

    @AfterEach
    void stop() throws Exception {
        harness.close();
        scoring.close();
    }

    private StreamAccountScoresRequest lastStreamRequest() {
        return scoring.streamRequests().get(scoring.streamRequests().size() - 1);
    }

    @Test
    void aForecastKnownAtAnInstantIsWhatScoringKnewThenAndNeverTheCachedPortfolio() {
        assertThat(forecasts.getForecast(GetForecastRequest.getDefaultInstance()).getOpenTrials()).isEqualTo(3);

        GetForecastRequest past = GetForecastRequest.newBuilder().setAsOf(T).setKnownAt(T).setDefinitionVersion(1).build();
        Forecast known = forecasts.getForecast(past);

        assertThat(known.getOpenTrials()).isEqualTo(2);
        assertThat(known.getExpectedRevenue().getAmountMicros()).isEqualTo(900_000_000L + 200_000_000L);
        assertThat(known.getAsOf()).isEqualTo(T);
        assertThat(known.getKnownAt()).isEqualTo(T);
        assertThat(known.getHeadPosition()).isEqualTo(2);
        StreamAccountScoresRequest asked = lastStreamRequest();
        assertThat(asked.getKnownAt()).isEqualTo(T);
        assertThat(asked.getAsOf()).isEqualTo(T);
        assertThat(asked.getChangedAfterPosition()).isZero();

        int requests = scoring.streamRequests().size();
        assertThat(forecasts.getForecast(past)).isEqualTo(known);
        assertThat(scoring.streamRequests()).as("asked again, not cached").hasSize(requests + 1);

        Forecast current = forecasts.getForecast(GetForecastRequest.getDefaultInstance());
        assertThat(current.getOpenTrials()).as("the current portfolio did not take the past's scores").isEqualTo(3);
        assertThat(current.hasKnownAt()).isFalse();
        assertThat(current.getHeadPosition()).isEqualTo(3);
        assertThat(lastStreamRequest().hasKnownAt()).isFalse();
        assertThat(lastStreamRequest().getChangedAfterPosition()).as("an incremental refresh of the cache").isEqualTo(3);
    }

    @Test
    void knownAtWithoutAsOfIsEvaluatedAtTheRequestsInstant() {
        Forecast known = forecasts.getForecast(GetForecastRequest.newBuilder().setKnownAt(T).build());
        assertThat(known.getAsOf()).isEqualTo(timestamp("2025-03-01T00:00:00Z"));
        assertThat(known.getKnownAt()).isEqualTo(T);
        assertThat(known.getOpenTrials()).isEqualTo(2);
        assertThat(lastStreamRequest().hasAsOf()).isFalse();
        assertThat(lastStreamRequest().getKnownAt()).isEqualTo(T);
    }

    @Test
    void everyLineOfAKnownAtExportCarriesItsInstantsAndPosition() {
        List<ForecastLine> lines = new ArrayList<>();
        forecasts.streamForecastLines(StreamForecastLinesRequest.newBuilder().setAsOf(T).setKnownAt(T).build())
                .forEachRemaining(lines::add);
        assertThat(lines).extracting(ForecastLine::getAccountId).containsExactly("a1", "a2");
        assertThat(lines).allSatisfy(line -> {
            assertThat(line.getAsOf()).isEqualTo(T);
            assertThat(line.getKnownAt()).isEqualTo(T);
            assertThat(line.getHeadPosition()).isEqualTo(2);
        });

        List<ForecastLine> current = new ArrayList<>();
        forecasts.streamForecastLines(StreamForecastLinesRequest.getDefaultInstance()).forEachRemaining(current::add);
        assertThat(current).hasSize(3).allSatisfy(line -> {
            assertThat(line.getAsOf()).isEqualTo(timestamp("2025-03-01T00:00:00Z"));
            assertThat(line.hasKnownAt()).isFalse();
            assertThat(line.getHeadPosition()).isEqualTo(3);
        });
    }

    @Test
    void calibrationAndComparisonKnownAtAnInstantAskScoringForThatKnowledge() {
        Calibration calibration = forecasts.getCalibration(GetCalibrationRequest.newBuilder().setKnownAt(T).build());
        assertThat(calibration.getKnownAt()).isEqualTo(T);
        assertThat(calibration.getAsOf()).isEqualTo(timestamp("2025-03-01T00:00:00Z"));
        assertThat(calibration.getHeadPosition()).isEqualTo(2);
        assertThat(lastStreamRequest().getKnownAt()).isEqualTo(T);

        CompareForecastResponse compared = forecasts.compareForecast(CompareForecastRequest.newBuilder().setBaselineVersion(1)
                .setCandidateVersion(2).setAsOf(T).setKnownAt(T).build());
        assertThat(compared.getBaseline().getKnownAt()).isEqualTo(T);
        assertThat(compared.getCandidate().getKnownAt()).isEqualTo(T);
        assertThat(compared.getBaseline().getOpenTrials()).isEqualTo(2);
        assertThat(compared.getChangesList()).extracting(AccountForecastChange::getAccountId).containsExactly("a2");
        assertThat(scoring.streamRequests().subList(scoring.streamRequests().size() - 2, scoring.streamRequests().size()))
                .allSatisfy(request -> assertThat(request.getKnownAt()).isEqualTo(T));
    }

    @Test
    void anInstantWithinTheClockSkewAllowanceIsNotTheFuture() {
        Timestamp soon = timestamp("2025-03-01T00:04:59Z");
        Forecast forecast = forecasts.getForecast(GetForecastRequest.newBuilder().setAsOf(soon).setKnownAt(soon).build());
        assertThat(forecast.getAsOf()).isEqualTo(soon);
        assertThat(forecast.getKnownAt()).isEqualTo(soon);
    }

    static Stream<Arguments> futureInstants() {
        Timestamp future = timestamp("2025-03-01T00:05:01Z");
        Timestamp year2030 = timestamp("2030-01-01T00:00:00Z");
        return Stream.of(
                bad("GetForecast as_of 2030", s -> s.getForecast(GetForecastRequest.newBuilder().setAsOf(year2030).build()), "as_of"),
                bad("GetForecast known_at in 5 min 1 s", s -> s.getForecast(GetForecastRequest.newBuilder().setKnownAt(future).build()),
                        "known_at"),
                bad("StreamForecastLines as_of", s -> s.streamForecastLines(StreamForecastLinesRequest.newBuilder().setAsOf(future)
                        .build()).hasNext(), "as_of"),
                bad("StreamForecastLines known_at", s -> s.streamForecastLines(StreamForecastLinesRequest.newBuilder()
                        .setKnownAt(year2030).build()).hasNext(), "known_at"),
                bad("GetCalibration known_at", s -> s.getCalibration(GetCalibrationRequest.newBuilder().setKnownAt(future).build()),
                        "known_at"),
                bad("CompareForecast as_of", s -> s.compareForecast(CompareForecastRequest.newBuilder().setAsOf(year2030).build()),
                        "as_of"),
                bad("CompareForecast known_at", s -> s.compareForecast(CompareForecastRequest.newBuilder().setKnownAt(future).build()),
                        "known_at"),
                bad("ClassifyAccount as_of", s -> s.classifyAccount(ClassifyAccountRequest.newBuilder().setAccountId("a1")
                        .setAsOf(year2030).build()), "as_of"));
    }

    private static Arguments bad(String name, Consumer<ForecastServiceGrpc.ForecastServiceBlockingStub> call, String field) {
        return Arguments.of(name, call, field);
    }

    @ParameterizedTest(name = "{0} -> INVALID_ARGUMENT {2}")
    @MethodSource("futureInstants")
    void futureInstantsAreRefusedWithTheirField(String name, Consumer<ForecastServiceGrpc.ForecastServiceBlockingStub> call,
            String field) {
        assertThatThrownBy(() -> call.accept(forecasts)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(GrpcErrors.fieldViolations(e)).extracting(com.google.rpc.BadRequest.FieldViolation::getField)
                    .containsExactly(field);
            assertThat(GrpcErrors.fieldViolations(e).get(0).getDescription()).startsWith("is in the future");
        });
        assertThat(scoring.streamRequests()).as("nothing reached scoring").isEmpty();
        assertThat(scoring.accountRequests()).isEmpty();
    }
}
