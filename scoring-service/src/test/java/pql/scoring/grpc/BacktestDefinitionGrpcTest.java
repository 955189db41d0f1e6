package pql.scoring.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.common.grpc.GrpcErrors;
import pql.scoring.app.DefinitionBacktests;
import pql.scoring.testing.Await;
import pql.scoring.testing.SampleHistory;
import pql.v1.BacktestDefinitionRequest;
import pql.v1.BacktestDefinitionResponse;
import pql.v1.BacktestFigure;
import pql.v1.BacktestFigureState;
import pql.v1.DefinitionStatus;
import pql.v1.GetDefinitionPresetRequest;
import pql.v1.GetRescoreRequest;
import pql.v1.PersonaBacktest;
import pql.v1.ProductComplexity;
import pql.v1.PublishDefinitionRequest;
import pql.v1.StartRescoreRequest;

/**
 * DefinitionService.BacktestDefinition in process, over a generated history of 200 trials: the figures
 * agree with each other and with their sample sizes, a rescored shadow version is backtested before it
 * is promoted, and every bad input gets its status, field and ErrorInfo reason.
 */
class BacktestDefinitionGrpcTest {

    private static final Timestamp FROM = SampleHistory.ts(SampleHistory.START);
    private static final Timestamp TO = Timestamp.newBuilder().setSeconds(SampleHistory.AFTER_ALL_MILLIS / 1000).build();

    @TempDir
    Path directory;

    private ScoringServerFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new ScoringServerFixture(directory);
        SampleHistory history = SampleHistory.generate(7, 200, 60);
        fixture.append(history, 0, history.size());
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    private BacktestDefinitionResponse backtest(int version) {
        return fixture.definitions.backtestDefinition(BacktestDefinitionRequest.newBuilder().setVersion(version)
                .setFrom(FROM).setTo(TO).build());
    }

    @Test
    void theActiveVersionsFiguresAgreeWithTheirSampleSizes() {
        BacktestDefinitionResponse answer = backtest(0);

        assertThat(answer.getVersion()).isEqualTo(1);
        assertThat(answer.getFrom()).isEqualTo(FROM);
        assertThat(answer.getHeadPosition()).isEqualTo(fixture.module.servingProjection().processedPosition());
        assertThat(answer.getTrialsClosed()).as("the history closes trials").isGreaterThan(50);
        assertThat(answer.getBaseConversionRate().getSampleSize()).isEqualTo(answer.getTrialsClosed());
        assertThat(answer.getBaseConversionRate().getValue())
                .isCloseTo((double) answer.getTrialsConverted() / answer.getTrialsClosed(), within(1e-12));
        assertThat(answer.getPrecision().getSampleSize()).isEqualTo(answer.getPqls());
        assertThat(answer.getRecall().getSampleSize()).isEqualTo(answer.getTrialsConverted());
        if (measured(answer.getPrecision()) && measured(answer.getRecall())) {
            double pqlsConverted = answer.getPrecision().getValue() * answer.getPqls();
            assertThat(pqlsConverted).isCloseTo(Math.rint(pqlsConverted), within(1e-6));
            assertThat(answer.getRecall().getValue() * answer.getTrialsConverted()).isCloseTo(pqlsConverted, within(1e-6));
            assertThat(answer.getLift().getValue()).isCloseTo(answer.getPrecision().getValue()
                    / answer.getBaseConversionRate().getValue(), within(1e-12));
        }
        assertThat(answer.getPersonasList()).hasSize(7);
        assertThat(answer.getPersonasList().stream().mapToLong(PersonaBacktest::getTrialsClosed).sum())
                .isEqualTo(answer.getBrierScore().getSampleSize());
        for (PersonaBacktest persona : answer.getPersonasList()) {
            BacktestFigure rate = persona.getObservedRate();
            assertThat(rate.getSampleSize()).isEqualTo(persona.getTrialsClosed());
            assertThat(measured(rate)).isEqualTo(persona.getTrialsClosed() >= answer.getMinimumSample());
            assertThat(rate.hasValue()).as("no value without enough data").isEqualTo(measured(rate));
            assertThat(persona.hasIntervalLow()).isEqualTo(measured(rate));
            if (measured(rate)) {
                assertThat(rate.getValue()).isBetween(persona.getIntervalLow(), persona.getIntervalHigh());
            }
        }
        assertThat(answer.getMinimumSample()).isEqualTo(20);
        assertThat(answer.getConfidence()).isEqualTo(0.95);
        assertThat(answer.getMethod()).contains("Wilson");
    }

    @Test
    void aShadowVersionIsBacktestedOnceRescoredAndLowerThresholdsCallAtLeastAsManyConversions() {
        int v2 = fixture.definitions.publishDefinition(PublishDefinitionRequest.newBuilder().setDefinition(
                fixture.definitions.getDefinitionPreset(GetDefinitionPresetRequest.newBuilder()
                        .setProductComplexity(ProductComplexity.PRODUCT_COMPLEXITY_COMPLEX).build())).build()).getVersion();
        assertThat(reason(() -> backtest(v2))).isEqualTo(DefinitionBacktests.NEEDS_RESCORE);

        fixture.definitions.startRescore(StartRescoreRequest.newBuilder().setVersion(v2).build());
        Await.until("rescore READY", () -> fixture.definitions.getRescore(GetRescoreRequest.newBuilder().setVersion(v2)
                .build()).getStatus() == DefinitionStatus.DEFINITION_STATUS_READY);
        BacktestDefinitionResponse intermediate = backtest(1);
        BacktestDefinitionResponse complex = backtest(v2);

        assertThat(complex.getVersion()).isEqualTo(v2);
        assertThat(complex.getTrialsClosed()).isEqualTo(intermediate.getTrialsClosed());
        // every threshold of the complex preset is lower: each account qualifies no later than under v1
        assertThat(complex.getPqls()).isGreaterThan(intermediate.getPqls());
        assertThat(complex.getRecall().getValue()).isGreaterThanOrEqualTo(intermediate.getRecall().getValue());
    }

    @Test
    void badInputsGetTheirStatusFieldAndReason() {
        Timestamp broken = Timestamp.newBuilder().setSeconds(1).setNanos(-1).build();
        List<BadInput> table = List.of(
                new BadInput("no from", r -> r.clearFrom(), Status.Code.INVALID_ARGUMENT, "from", GrpcErrors.BAD_REQUEST),
                new BadInput("no to", r -> r.clearTo(), Status.Code.INVALID_ARGUMENT, "to", GrpcErrors.BAD_REQUEST),
                new BadInput("from = to", r -> r.setTo(FROM), Status.Code.INVALID_ARGUMENT, "to", GrpcErrors.BAD_REQUEST),
                new BadInput("from after to", r -> r.setFrom(TO).setTo(FROM), Status.Code.INVALID_ARGUMENT, "to",
                        GrpcErrors.BAD_REQUEST),
                new BadInput("bad timestamp", r -> r.setFrom(broken), Status.Code.INVALID_ARGUMENT, "from",
                        GrpcErrors.BAD_REQUEST),
                new BadInput("negative version", r -> r.setVersion(-1), Status.Code.INVALID_ARGUMENT, "version",
                        GrpcErrors.BAD_REQUEST),
                new BadInput("unknown version", r -> r.setVersion(99), Status.Code.NOT_FOUND, null, GrpcErrors.NOT_FOUND));
        for (BadInput bad : table) {
            BacktestDefinitionRequest request = bad.change().apply(BacktestDefinitionRequest.newBuilder()
                    .setFrom(FROM).setTo(TO)).build();
            assertThatThrownBy(() -> fixture.definitions.backtestDefinition(request)).as(bad.what())
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).as(bad.what()).isEqualTo(bad.code());
                        assertThat(GrpcErrors.errorInfoOf(e).orElseThrow().getReason()).as(bad.what()).isEqualTo(bad.reason());
                        if (bad.field() != null) {
                            assertThat(GrpcErrors.fieldViolations(e)).as(bad.what())
                                    .extracting(v -> v.getField()).containsExactly(bad.field());
                        }
                    });
        }
    }

    private record BadInput(String what, UnaryOperator<BacktestDefinitionRequest.Builder> change, Status.Code code,
            String field, String reason) {
    }

    private static boolean measured(BacktestFigure figure) {
        return figure.getState() == BacktestFigureState.BACKTEST_FIGURE_STATE_MEASURED;
    }

    private static String reason(Runnable call) {
        try {
            call.run();
            return "(no error)";
        } catch (StatusRuntimeException e) {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(e.getStatus().getDescription()).contains("rescore");
            return GrpcErrors.errorInfoOf(e).orElseThrow().getReason();
        }
    }
}
