package pql.scoring.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.scoring.domain.ProductComplexity;
import pql.scoring.domain.backtest.BacktestFigure;
import pql.scoring.domain.backtest.BacktestReport;
import pql.v1.OutcomeKind;

/**
 * publish -> rescore -> backtest at the use-case level, on the embedded store.
 *
 * <p>Given 80 MID trials, 20 of each: 2 of 6 steps then converted, 4 of 6 then converted, 4 of 6 then
 * lost, 1 of 6 then lost (each closes an hour after its last action). v1 (intermediate: MID at 50%)
 * calls the 40 with four steps: precision 20/40, recall 20/40, base rate 40/80, lift 1. v2 (complex:
 * MID at 25%) also calls the 20 with two steps: precision 40/60, recall 40/40, lift 4/3.
 */
class DefinitionBacktestsTest {

    private static final long FROM = ScoringUseCases.TRIAL_START.toEpochMilli();
    private static final long TO = ScoringUseCases.NOW.toEpochMilli();

    @TempDir
    Path directory;

    private ScoringUseCases scoring;
    private DefinitionBacktests backtests;
    private int v2;

    @BeforeEach
    void given() {
        scoring = new ScoringUseCases(directory);
        for (int i = 0; i < 20; i++) {
            scoring.account("quiet-won-" + i).stepsDone(2).outcome(OutcomeKind.OUTCOME_KIND_CONVERTED).append();
            scoring.account("busy-won-" + i).stepsDone(4).outcome(OutcomeKind.OUTCOME_KIND_CONVERTED).append();
            scoring.account("busy-lost-" + i).stepsDone(4).outcome(OutcomeKind.OUTCOME_KIND_LOST).append();
            scoring.account("idle-lost-" + i).stepsDone(1).outcome(OutcomeKind.OUTCOME_KIND_LOST).append();
        }
        scoring.account("still-open").stepsDone(4).append();
        scoring.projections.start();
        v2 = scoring.registry.publish(ScoringUseCases.preset(ProductComplexity.COMPLEX), "platform-team").version();
        backtests = new DefinitionBacktests(scoring.registry, scoring.projections);
    }

    @AfterEach
    void close() {
        scoring.close();
    }

    @Test
    void theActiveVersionIsBacktestedOnItsServingProjection() {
        DefinitionBacktests.Backtest backtest = backtests.backtest(0, FROM, TO);

        assertThat(backtest.version()).isEqualTo(1);
        assertThat(backtest.headPosition()).isEqualTo(scoring.projections.serving().processedPosition()).isPositive();
        BacktestReport report = backtest.report();
        assertThat(report.trialsClosed()).as("the open trial is not judged").isEqualTo(80);
        assertThat(report.trialsConverted()).isEqualTo(40);
        assertThat(report.pqls()).isEqualTo(40);
        assertThat(report.precision()).isEqualTo(new BacktestFigure(true, 0.5, 40));
        assertThat(report.recall()).isEqualTo(new BacktestFigure(true, 0.5, 40));
        assertThat(report.lift().value()).isCloseTo(1.0, within(1e-12));
        // the third step (50%) is done at minute 4, the outcome of the 7 actions' trial comes at minute 68
        assertThat(report.medianLeadTimeMillis()).isEqualTo(new BacktestFigure(true, Duration.ofMinutes(64).toMillis(), 20));
    }

    @Test
    void aRescoredShadowVersionIsBacktestedBeforeItIsPromoted() {
        scoring.projections.startRescore(v2);

        BacktestReport report = backtests.backtest(v2, FROM, TO).report();

        assertThat(scoring.projections.servingVersion()).isEqualTo(1);
        assertThat(report.pqls()).isEqualTo(60);
        assertThat(report.precision().value()).isCloseTo(40.0 / 60, within(1e-12));
        assertThat(report.recall()).isEqualTo(new BacktestFigure(true, 1.0, 40));
        assertThat(report.lift().value()).isCloseTo(4.0 / 3, within(1e-12));
        assertThat(report.personas()).extracting(BacktestReport.PersonaResult::trialsClosed)
                .as("every closed trial has a persona").containsOnlyOnce(report.personas().stream()
                        .mapToLong(BacktestReport.PersonaResult::trialsClosed).max().orElseThrow())
                .satisfies(counts -> assertThat(counts.stream().mapToLong(Long::longValue).sum()).isEqualTo(80));
    }

    @Test
    void onlyTrialsClosedInThePeriodAreJudged() {
        BacktestReport report = backtests.backtest(1, TO, TO + 1).report();

        assertThat(report.trialsClosed()).isZero();
        assertThat(report.precision()).isEqualTo(BacktestFigure.notEnoughData(0));
    }

    @Test
    void aVersionWithoutAProjectionIsRefusedWithHowToGetOneAndAnUnknownOneIsNotFound() {
        assertThatThrownBy(() -> backtests.backtest(v2, FROM, TO))
                .isInstanceOfSatisfying(ScoringException.FailedPrecondition.class, e -> {
                    assertThat(e.reason()).isEqualTo(DefinitionBacktests.NEEDS_RESCORE);
                    assertThat(e.getMessage()).contains("pql definitions rescore " + v2);
                });
        scoring.engine.holdNewProjections(true);
        scoring.projections.startRescore(v2);
        assertThatThrownBy(() -> backtests.backtest(v2, FROM, TO))
                .isInstanceOfSatisfying(ScoringException.FailedPrecondition.class, e ->
                        assertThat(e.getMessage()).contains("still being rescored"));
        assertThatThrownBy(() -> backtests.backtest(99, FROM, TO)).isInstanceOf(ScoringException.NotFound.class);
    }
}
