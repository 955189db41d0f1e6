package pql.forecast.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static pql.forecast.support.Scores.account;
import static pql.forecast.support.Scores.timestamp;

import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pql.common.grpc.GrpcErrors;
import pql.forecast.support.InProcessForecast;
import pql.forecast.support.ScoringServiceFixture;
import pql.v1.AccuracyStep;
import pql.v1.ForecastAccuracy;
import pql.v1.ForecastServiceGrpc;
import pql.v1.GetForecastAccuracyRequest;
import pql.v1.PeriodAccuracy;
import pql.v1.Persona;
import pql.v1.PersonaAccuracy;
import pql.v1.StreamAccountScoresRequest;

/**
 * GetForecastAccuracy over in-process gRPC, scores from the scoring fixture: each month's forecast is
 * what scoring knew at the month's start, the actual what converted in it. The server's clock says
 * 2025-04-01.
 */
class ForecastAccuracyGrpcTest {

    private static final Instant NOW = Instant.parse("2025-04-01T00:00:00Z");

    private ScoringServiceFixture scoring;
    private InProcessForecast forecast;
    private ForecastServiceGrpc.ForecastServiceBlockingStub forecasts;

    @BeforeEach
    void start() throws Exception {
        scoring = ScoringServiceFixture.inProcess();
        scoring.publish(1, Map.of());
        // now: n1 won in February for 3000, g1 in March for 12000
        scoring.put(1, List.of(
                account("g1").persona(Persona.PERSONA_GOLDEN_LEAD).deal("10000.00").trialEnd("2025-03-15T00:00:00Z")
                        .converted("2025-03-14T10:00:00Z", "12000.00", Persona.PERSONA_GOLDEN_LEAD).position(4).build(),
                account("n1").persona(Persona.PERSONA_GOLDEN_LEAD).deal("3000.00").trialEnd("2025-02-25T00:00:00Z")
                        .converted("2025-02-20T00:00:00Z", "3000.00", Persona.PERSONA_GOLDEN_LEAD).position(3).build()));
        // on February 1st only n1 was a trial; on March 1st only g1 was open
        scoring.putKnownAt(1, Instant.parse("2025-02-01T00:00:00Z").toEpochMilli(), 1, List.of(
                account("n1").persona(Persona.PERSONA_GOLDEN_LEAD).deal("3000.00").trialEnd("2025-02-25T00:00:00Z").position(1).build()));
        scoring.putKnownAt(1, Instant.parse("2025-03-01T00:00:00Z").toEpochMilli(), 2, List.of(
                account("g1").persona(Persona.PERSONA_GOLDEN_LEAD).deal("10000.00").trialEnd("2025-03-15T00:00:00Z").position(2).build()));
        forecast = new InProcessForecast(scoring, NOW);
        forecasts = forecast.forecasts();
    }

    @AfterEach
    void stop() throws Exception {
        forecast.close();
        scoring.close();
    }

    private static GetForecastAccuracyRequest.Builder months(String from, String to) {
        return GetForecastAccuracyRequest.newBuilder().setFrom(timestamp(from)).setTo(timestamp(to))
                .setStep(AccuracyStep.ACCURACY_STEP_MONTH);
    }

    @Test
    void eachMonthsForecastAsKnownAtItsStartIsJudgedAgainstWhatConvertedInIt() {
        ForecastAccuracy accuracy = forecasts.getForecastAccuracy(months("2025-02-01T00:00:00Z", "2025-04-01T00:00:00Z").build());

        assertThat(accuracy.getPeriodsList()).hasSize(2);
        // February: n1 3000 x 0.90 = 2700 (P10 0, P90 3000); 3000 converted: inside, 300 low, 10%
        PeriodAccuracy february = accuracy.getPeriods(0);
        assertThat(february.getStart()).isEqualTo(timestamp("2025-02-01T00:00:00Z"));
        assertThat(february.getEnd()).isEqualTo(timestamp("2025-03-01T00:00:00Z"));
        assertThat(february.getForecastTrials()).isEqualTo(1);
        assertThat(february.getForecast().getAmountMicros()).isEqualTo(2_700_000_000L);
        assertThat(february.getRange().getP10().getAmountMicros()).isZero();
        assertThat(february.getRange().getP90().getAmountMicros()).isEqualTo(3_000_000_000L);
        assertThat(february.getActual().getAmountMicros()).isEqualTo(3_000_000_000L);
        assertThat(february.getError().getAmountMicros()).isEqualTo(-300_000_000L);
        assertThat(february.getAbsolutePercentageError()).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(february.getPercentageErrorDefined()).isTrue();
        assertThat(february.getActualWithinRange()).isTrue();
        // March: g1 10000 x 0.90 = 9000 (P10 0, P90 10000); 12000 converted: above, 3000 low, 25%
        PeriodAccuracy march = accuracy.getPeriods(1);
        assertThat(march.getForecast().getAmountMicros()).isEqualTo(9_000_000_000L);
        assertThat(march.getActual().getAmountMicros()).isEqualTo(12_000_000_000L);
        assertThat(march.getError().getAmountMicros()).isEqualTo(-3_000_000_000L);
        assertThat(march.getAbsolutePercentageError()).isEqualTo(0.25);
        assertThat(march.getActualWithinRange()).isFalse();

        assertThat(accuracy.getTotal().getPeriods()).isEqualTo(2);
        assertThat(accuracy.getTotal().getMeanAbsolutePercentageError()).isCloseTo(0.175, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(accuracy.getTotal().getMapeDefined()).isTrue();
        assertThat(accuracy.getTotal().getBias().getAmountMicros()).isEqualTo(-1_650_000_000L);
        assertThat(accuracy.getTotal().getBias().getCurrency()).isEqualTo("USD");
        assertThat(accuracy.getTotal().getWithinRange()).isEqualTo(1);
        assertThat(accuracy.getTotal().getWithinRangeRate()).isEqualTo(0.5);
        assertThat(accuracy.getPersonasList()).extracting(PersonaAccuracy::getPersona).containsExactly(Persona.PERSONA_GOLDEN_LEAD);
        assertThat(accuracy.getPersonas(0).getSummary()).isEqualTo(accuracy.getTotal());
        assertThat(accuracy.getStep()).isEqualTo(AccuracyStep.ACCURACY_STEP_MONTH);
        assertThat(accuracy.getDefinitionVersion()).isEqualTo(1);

        // one replay per month, as of and known at its start, plus the current portfolio for the outcomes
        List<StreamAccountScoresRequest> pasts = scoring.streamRequests().stream().filter(StreamAccountScoresRequest::hasKnownAt).toList();
        assertThat(pasts).extracting(StreamAccountScoresRequest::getKnownAt)
                .containsExactly(timestamp("2025-02-01T00:00:00Z"), timestamp("2025-03-01T00:00:00Z"));
        assertThat(pasts).allSatisfy(request -> assertThat(request.getAsOf()).isEqualTo(request.getKnownAt()));
    }

    @Test
    void withHindsightEachMonthIsAskedAsOfItsStartWithEverythingRecordedSince() {
        ForecastAccuracy accuracy = forecasts.getForecastAccuracy(months("2025-02-01T00:00:00Z", "2025-04-01T00:00:00Z")
                .setHindsight(true).build());

        assertThat(accuracy.getHindsight()).isTrue();
        assertThat(scoring.streamRequests()).noneMatch(StreamAccountScoresRequest::hasKnownAt);
        assertThat(scoring.streamRequests()).filteredOn(StreamAccountScoresRequest::hasAsOf)
                .extracting(StreamAccountScoresRequest::getAsOf)
                .containsExactly(timestamp("2025-02-01T00:00:00Z"), timestamp("2025-03-01T00:00:00Z"));
        // the fixture answers every as-of with today's scores, where both trials have closed: nothing open to forecast
        assertThat(accuracy.getPeriodsList()).allSatisfy(period -> assertThat(period.getForecastTrials()).isZero());
        assertThat(accuracy.getTotal().getActual().getAmountMicros()).isEqualTo(15_000_000_000L);
    }

    @Test
    void aMonthWithoutConversionsHasNoPercentageErrorRatherThanAnInfiniteOne() {
        ForecastAccuracy accuracy = forecasts.getForecastAccuracy(months("2025-01-01T00:00:00Z", "2025-02-01T00:00:00Z").build());

        assertThat(accuracy.getPeriods(0).getActual().getAmountMicros()).isZero();
        assertThat(accuracy.getPeriods(0).getPercentageErrorDefined()).isFalse();
        assertThat(accuracy.getPeriods(0).getAbsolutePercentageError()).isZero();
        assertThat(accuracy.getTotal().getMapeDefined()).isFalse();
    }

    static Stream<Arguments> badRequests() {
        GetForecastAccuracyRequest.Builder good = months("2025-02-01T00:00:00Z", "2025-04-01T00:00:00Z");
        return Stream.of(
                Arguments.of("no from", good.clone().clearFrom(), "from"),
                Arguments.of("no to", good.clone().clearTo(), "to"),
                Arguments.of("to before from", good.clone().setTo(timestamp("2025-01-01T00:00:00Z")), "to"),
                Arguments.of("to equal to from", good.clone().setTo(timestamp("2025-02-01T00:00:00Z")), "to"),
                Arguments.of("to in the future", good.clone().setTo(timestamp("2025-05-01T00:00:00Z")), "to"),
                Arguments.of("no step", good.clone().clearStep(), "step"),
                Arguments.of("an unknown step number", good.clone().setStepValue(9), "step"),
                Arguments.of("61 weeks", good.clone().setFrom(timestamp("2024-01-01T00:00:00Z")).setStep(AccuracyStep.ACCURACY_STEP_WEEK),
                        "to"),
                Arguments.of("a bad currency", good.clone().setCurrency("usd"), "currency"),
                Arguments.of("a negative version", good.clone().setDefinitionVersion(-1), "definition_version"));
    }

    @ParameterizedTest(name = "{0} -> INVALID_ARGUMENT on {2}")
    @MethodSource("badRequests")
    void badRequestsAreRefusedWithTheirFieldBeforeAnythingIsReplayed(String name, GetForecastAccuracyRequest.Builder request,
            String field) {
        assertThatThrownBy(() -> forecasts.getForecastAccuracy(request.build())).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(GrpcErrors.errorInfoOf(e)).hasValueSatisfying(info -> {
                assertThat(info.getReason()).isEqualTo(GrpcErrors.BAD_REQUEST);
                assertThat(info.getDomain()).isEqualTo(GrpcErrors.DOMAIN);
            });
            assertThat(GrpcErrors.fieldViolations(e)).extracting(BadRequest.FieldViolation::getField).contains(field);
        });
        assertThat(scoring.streamRequests()).as("nothing reached scoring").isEmpty();
    }

    @Test
    void anUnknownDefinitionVersionIsNotFound() {
        assertThatThrownBy(() -> forecasts.getForecastAccuracy(months("2025-02-01T00:00:00Z", "2025-04-01T00:00:00Z")
                .setDefinitionVersion(7).build())).isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }
}
