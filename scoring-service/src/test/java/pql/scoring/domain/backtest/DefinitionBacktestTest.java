package pql.scoring.domain.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pql.scoring.domain.OpportunitySize;
import pql.scoring.domain.OutcomeKind;
import pql.scoring.domain.Persona;
import pql.scoring.domain.Scenario;
import pql.statistics.WilsonInterval;

/**
 * Given closed trials, when a definition is backtested over a period, then each figure is what a
 * reader computes by hand, with its sample size, and "not enough data" below the minimum sample.
 */
class DefinitionBacktestTest {

    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final long FROM = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final long TO = Instant.parse("2026-04-01T00:00:00Z").toEpochMilli();
    private static final Map<Persona, Double> SEED_ODDS = seedOdds();

    private final List<ClosedTrial> trials = new ArrayList<>();
    private int next;

    private static Map<Persona, Double> seedOdds() {
        Map<Persona, Double> odds = new EnumMap<>(Persona.class);
        for (Persona persona : Persona.values()) {
            odds.put(persona, persona.seedOdds());
        }
        return odds;
    }

    /** {@code count} trials closing on day 30 of the period, qualified {@code leadDays} before (null: never). */
    private void given(int count, boolean converted, Integer leadDays, Persona persona) {
        for (int i = 0; i < count; i++) {
            long closedAt = FROM + 30 * DAY;
            long qualifiedAt = leadDays == null ? ClosedTrial.NEVER : closedAt - leadDays * DAY;
            trials.add(new ClosedTrial("acc-" + next++, closedAt, converted, qualifiedAt, persona));
        }
    }

    @Test
    void precisionRecallLiftAndLeadTimeOfAHundredTrials() {
        // 100 closed, 40 converted (base rate 0.40); 50 PQLs of which 30 converted (precision 0.60);
        // 30 of 40 conversions called (recall 0.75); lift 0.60 / 0.40 = 1.5; F1 2 x 0.6 x 0.75 / 1.35 = 0.6667
        given(10, true, 2, Persona.GOLDEN_LEAD);
        given(10, true, 5, Persona.GOLDEN_LEAD);
        given(10, true, 9, Persona.SILENT_SUCCESS);
        given(20, false, 3, Persona.FIZZLER);
        given(10, true, null, Persona.CONTRARY_CONVERTER);
        given(40, false, null, Persona.HEARTBREAKER);

        BacktestReport report = DefinitionBacktest.run(trials, SEED_ODDS, FROM, TO);

        assertThat(report.trialsClosed()).isEqualTo(100);
        assertThat(report.trialsConverted()).isEqualTo(40);
        assertThat(report.pqls()).isEqualTo(50);
        assertThat(report.baseConversionRate()).isEqualTo(new BacktestFigure(true, 0.40, 100));
        assertThat(report.precision()).isEqualTo(new BacktestFigure(true, 0.60, 50));
        assertThat(report.recall()).isEqualTo(new BacktestFigure(true, 0.75, 40));
        assertThat(report.lift().value()).isCloseTo(1.5, within(1e-12));
        assertThat(report.lift().sampleSize()).isEqualTo(50);
        assertThat(report.f1().value()).isCloseTo(2 * 0.6 * 0.75 / 1.35, within(1e-12));
        // lead times 2 (x10), 5 (x10), 9 (x10) days: the 15th of 30 is 5 days
        assertThat(report.medianLeadTimeMillis()).isEqualTo(new BacktestFigure(true, 5 * DAY, 30));
    }

    @Test
    void personaOddsAgainstTheObservedRateWithAWilsonIntervalAndBrierScore() {
        // Golden: 20 closed, 16 converted: 0.80 against odds 0.90; Brier (16 x 0.01 + 4 x 0.81) / 20 = 0.17
        given(16, true, 1, Persona.GOLDEN_LEAD);
        given(4, false, 1, Persona.GOLDEN_LEAD);
        // Heartbreaker: 25 closed, 10 converted: 0.40 against odds 0.05, far outside the interval
        given(10, true, null, Persona.HEARTBREAKER);
        given(15, false, null, Persona.HEARTBREAKER);

        BacktestReport report = DefinitionBacktest.run(trials, SEED_ODDS, FROM, TO);

        BacktestReport.PersonaResult golden = persona(report, Persona.GOLDEN_LEAD);
        assertThat(golden.odds()).isEqualTo(0.90);
        assertThat(golden.observedRate()).isEqualTo(new BacktestFigure(true, 0.80, 20));
        assertThat(golden.interval()).isEqualTo(WilsonInterval.of(16, 20, 0.95));
        assertThat(golden.interval().low()).isCloseTo(0.5840, within(1e-4));
        assertThat(golden.brierScore().value()).isCloseTo(0.17, within(1e-12));
        assertThat(golden.oddsOutsideInterval()).isFalse();
        BacktestReport.PersonaResult heartbreaker = persona(report, Persona.HEARTBREAKER);
        assertThat(heartbreaker.observedRate().value()).isEqualTo(0.40);
        assertThat(heartbreaker.oddsOutsideInterval()).isTrue();
        // overall Brier over the 45 trials: (0.17 x 20 + (10 x 0.9025 + 15 x 0.0025)) / 45
        assertThat(report.brierScore().value()).isCloseTo((0.17 * 20 + 10 * 0.9025 + 15 * 0.0025) / 45, within(1e-12));
        assertThat(report.brierScore().sampleSize()).isEqualTo(45);
    }

    @Test
    void belowTheMinimumSampleAFigureIsNotEnoughDataNotAZero() {
        // 19 Fizzlers all lost and 5 PQLs: a precision of 0 out of 5 says nothing yet
        given(5, false, 1, Persona.FIZZLER);
        given(14, false, null, Persona.FIZZLER);

        BacktestReport report = DefinitionBacktest.run(trials, SEED_ODDS, FROM, TO);

        assertThat(report.precision()).isEqualTo(BacktestFigure.notEnoughData(5));
        assertThat(report.precision().measured()).isFalse();
        assertThat(report.recall()).isEqualTo(BacktestFigure.notEnoughData(0));
        assertThat(report.baseConversionRate()).isEqualTo(BacktestFigure.notEnoughData(19));
        assertThat(report.lift().measured()).isFalse();
        assertThat(report.medianLeadTimeMillis()).isEqualTo(BacktestFigure.notEnoughData(0));
        BacktestReport.PersonaResult fizzler = persona(report, Persona.FIZZLER);
        assertThat(fizzler.trialsClosed()).isEqualTo(19);
        assertThat(fizzler.observedRate().measured()).isFalse();
        assertThat(fizzler.interval()).isNull();
        assertThat(fizzler.oddsOutsideInterval()).isFalse();
        assertThat(persona(report, Persona.GOLDEN_LEAD).observedRate()).isEqualTo(BacktestFigure.notEnoughData(0));
        assertThat(report.minimumSample()).isEqualTo(DefinitionBacktest.MINIMUM_SAMPLE);
    }

    @Test
    void onlyTrialsClosedInThePeriodCountAndAQualificationAtTheCloseIsNoPrediction() {
        trials.add(new ClosedTrial("before", FROM - 1, true, FROM - 10 * DAY, Persona.GOLDEN_LEAD));
        trials.add(new ClosedTrial("at-to", TO, true, TO - DAY, Persona.GOLDEN_LEAD));
        trials.add(new ClosedTrial("at-from", FROM, true, FROM - DAY, Persona.GOLDEN_LEAD));
        trials.add(new ClosedTrial("touchless", FROM + DAY, true, FROM + DAY, Persona.SILENT_SUCCESS));
        trials.add(new ClosedTrial("after-close", FROM + DAY, true, FROM + 2 * DAY, Persona.SILENT_SUCCESS));

        BacktestReport report = DefinitionBacktest.run(trials, SEED_ODDS, FROM, TO);

        assertThat(report.trialsClosed()).as("[from, to): 'before' and 'at-to' are out").isEqualTo(3);
        assertThat(report.trialsConverted()).isEqualTo(3);
        assertThat(report.pqls()).as("only 'at-from' qualified before it closed").isEqualTo(1);
        assertThat(report.recall().sampleSize()).isEqualTo(3);
    }

    @Test
    void aTrialClosesAtItsFirstOutcomeWithItsPersonaBeforeClosingAndATouchlessPurchaseIsNoPqlBeforeIt() {
        Scenario called = Scenario.intermediate().profile(OpportunitySize.SMALL).completeSteps("u1", 6)
                .after(Duration.ofDays(3));
        long convertedAt = called.now().toEpochMilli();
        called.outcome(OutcomeKind.CONVERTED, true);
        called.after(Duration.ofDays(20)).outcome(OutcomeKind.CHURNED, false);
        ClosedTrial trial = called.state().closedTrial();
        assertThat(trial.converted()).as("churned after converting: the trial converted").isTrue();
        assertThat(trial.closedAt()).isEqualTo(convertedAt);
        assertThat(trial.qualifiedAt()).isLessThanOrEqualTo(convertedAt - Duration.ofDays(3).toMillis());
        assertThat(trial.qualifiedBeforeClose()).isTrue();
        assertThat(trial.personaBeforeClose()).isNotNull();

        ClosedTrial touchless = Scenario.intermediate().action("u1", "report_created")
                .after(Duration.ofDays(1)).outcome(OutcomeKind.CONVERTED, false).state().closedTrial();
        assertThat(touchless.converted()).isTrue();
        assertThat(touchless.qualifiedAt()).isEqualTo(touchless.closedAt());
        assertThat(touchless.qualifiedBeforeClose()).isFalse();

        assertThat(Scenario.intermediate().action("u1", "report_created").state().closedTrial()).as("open").isNull();
        ClosedTrial lost = Scenario.intermediate().action("u1", "report_created").outcome(OutcomeKind.LOST, false)
                .state().closedTrial();
        assertThat(lost.converted()).isFalse();
        assertThat(lost.qualifiedAt()).isEqualTo(ClosedTrial.NEVER);
    }

    private static BacktestReport.PersonaResult persona(BacktestReport report, Persona persona) {
        return report.personas().stream().filter(p -> p.persona() == persona).findFirst().orElseThrow();
    }
}
