package pql.forecast.domain.accuracy;

import static org.assertj.core.api.Assertions.assertThat;
import static pql.forecast.domain.Trials.trial;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import pql.forecast.domain.AccountSnapshot;
import pql.forecast.domain.OutcomeKind;
import pql.forecast.domain.Persona;
import pql.forecast.domain.revenue.ForecastCalculator;
import pql.forecast.domain.revenue.OpenTrialPolicy;
import pql.forecast.domain.revenue.RangeEstimator;
import pql.forecast.support.SeedOdds;

class ForecastAccuracyTest {

    private static final Period MARCH = new Period(millis("2025-03-01T00:00:00Z"), millis("2025-04-01T00:00:00Z"));

    private final ForecastAccuracy accuracy = new ForecastAccuracy(new ForecastCalculator(new RangeEstimator(8192),
            OpenTrialPolicy.TRIALS_ONLY, 20_000_000));

    /** What was known on March 1st: two USD trials ending in March, one ending in April, one in euros. */
    private static List<AccountSnapshot> knownOnMarchFirst() {
        return List.of(
                trial("g1").persona(Persona.GOLDEN_LEAD).deal("10000.00").trialEnd("2025-03-15T00:00:00Z").build(),
                trial("f1").persona(Persona.FIZZLER).deal("5000.00").trialEnd("2025-03-20T00:00:00Z").build(),
                trial("s1").persona(Persona.SILENT_SUCCESS).deal("8000.00").trialEnd("2025-04-10T00:00:00Z").build(),
                trial("e1").persona(Persona.GOLDEN_LEAD).deal("9000.00").currency("EUR").trialEnd("2025-03-10T00:00:00Z").build());
    }

    /** What is on record now: g1 won for more than its deal, f1 lost, a trial started later won, s1 won in April. */
    private static List<AccountSnapshot> onRecordNow() {
        return List.of(
                // by now g1's levels dropped: the conversion still counts for the persona forecast on March 1st
                trial("g1").persona(Persona.FIZZLER).deal("10000.00").converted("2025-03-14T10:00:00Z", "12000.00", Persona.FIZZLER).build(),
                trial("f1").persona(Persona.FIZZLER).deal("5000.00").closed(OutcomeKind.LOST, "2025-03-20T00:00:00Z", Persona.FIZZLER).build(),
                trial("n1").persona(Persona.GOLDEN_LEAD).deal("2500.00")
                        .converted("2025-03-25T00:00:00Z", "3000.00", Persona.CONTRARY_CONVERTER).build(),
                trial("s1").persona(Persona.SILENT_SUCCESS).deal("8000.00")
                        .closed(OutcomeKind.CONVERTED, "2025-04-05T00:00:00Z", Persona.SILENT_SUCCESS).build(),
                trial("e1").persona(Persona.GOLDEN_LEAD).deal("9000.00").currency("EUR")
                        .closed(OutcomeKind.CONVERTED, "2025-03-10T00:00:00Z", Persona.GOLDEN_LEAD).build());
    }

    @Test
    void aPeriodComparesTheForecastKnownAtItsStartWithTheRevenueThatConvertedInIt() {
        PeriodAccuracy march = accuracy.judge(MARCH, knownOnMarchFirst(), onRecordNow(), SeedOdds.seed(), "USD");

        // forecast: g1 10000 x 0.90 + f1 5000 x 0.10 = 9500; s1 closes in April, e1 is in euros
        // outcomes: 0 (0.1 x 0.9 = 0.09), 5000 (0.1 x 0.1 = 0.01), 10000 (0.9 x 0.9 = 0.81), 15000 (0.09)
        // cumulative 0.09, 0.10, 0.91, 1.00: P10 = 5000, P50 = P90 = 10000
        PeriodResult total = march.total();
        assertThat(total.forecastTrials()).isEqualTo(2);
        assertThat(total.forecastMicros()).isEqualTo(dollars(9500));
        assertThat(total.range().p10()).isEqualTo(dollars(5000));
        assertThat(total.range().p90()).isEqualTo(dollars(10000));
        // actual: g1 12000 + n1 3000 (not forecast: it was not a trial on March 1st); s1 is April's, e1 in euros
        assertThat(total.conversions()).isEqualTo(2);
        assertThat(total.actualMicros()).isEqualTo(dollars(15000));
        assertThat(total.errorMicros()).isEqualTo(dollars(-5500));
        assertThat(total.absolutePercentageError().getAsDouble()).isCloseTo(5500.0 / 15000, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(total.actualWithinRange()).isFalse();
    }

    @Test
    void eachConversionCountsForThePersonaForecastAtThePeriodsStartElseItsPersonaBeforeClosing() {
        PeriodAccuracy march = accuracy.judge(MARCH, knownOnMarchFirst(), onRecordNow(), SeedOdds.seed(), "USD");

        assertThat(march.personas()).containsOnlyKeys(Persona.GOLDEN_LEAD, Persona.FIZZLER, Persona.CONTRARY_CONVERTER);
        // Golden Lead: g1 forecast 9000 (P10 0, P90 10000), converted for 12000: 3000 above the range, 25% off
        PeriodResult golden = march.personas().get(Persona.GOLDEN_LEAD);
        assertThat(golden.forecastMicros()).isEqualTo(dollars(9000));
        assertThat(golden.actualMicros()).isEqualTo(dollars(12000));
        assertThat(golden.absolutePercentageError().getAsDouble()).isEqualTo(0.25);
        assertThat(golden.actualWithinRange()).isFalse();
        // Fizzler: f1 forecast 500, lost: nothing converted, so no percentage error, and 0 lies in [0, 500]
        PeriodResult fizzler = march.personas().get(Persona.FIZZLER);
        assertThat(fizzler.forecastMicros()).isEqualTo(dollars(500));
        assertThat(fizzler.actualMicros()).isZero();
        assertThat(fizzler.absolutePercentageError()).isEmpty();
        assertThat(fizzler.actualWithinRange()).isTrue();
        // Contrary Converter: nothing forecast, n1's 3000 converted: 100% off
        PeriodResult contrary = march.personas().get(Persona.CONTRARY_CONVERTER);
        assertThat(contrary.forecastTrials()).isZero();
        assertThat(contrary.actualMicros()).isEqualTo(dollars(3000));
        assertThat(contrary.absolutePercentageError().getAsDouble()).isEqualTo(1.0);
    }

    @Test
    void aPeriodWithNeitherForecastNorConversionsIsExactlyRightInTotalAndJudgesNoPersona() {
        Period june = new Period(millis("2025-06-01T00:00:00Z"), millis("2025-07-01T00:00:00Z"));

        PeriodAccuracy judged = accuracy.judge(june, knownOnMarchFirst(), onRecordNow(), SeedOdds.seed(), "USD");

        assertThat(judged.total().forecastMicros()).isZero();
        assertThat(judged.total().actualWithinRange()).isTrue();
        assertThat(judged.total().absolutePercentageError()).isEmpty();
        assertThat(judged.personas()).isEmpty();
    }

    @Test
    void theReportSummarisesEveryPeriodAndEachPersonaOverThePeriodsItWasJudgedIn() {
        Period april = new Period(MARCH.endEpochMillis(), millis("2025-05-01T00:00:00Z"));
        List<AccountSnapshot> knownOnAprilFirst = List.of(
                trial("s1").persona(Persona.SILENT_SUCCESS).deal("8000.00").trialEnd("2025-04-10T00:00:00Z").build());

        AccuracyReport report = ForecastAccuracy.report(List.of(
                accuracy.judge(MARCH, knownOnMarchFirst(), onRecordNow(), SeedOdds.seed(), "USD"),
                accuracy.judge(april, knownOnAprilFirst, onRecordNow(), SeedOdds.seed(), "USD")));

        // April: s1 forecast 6000 (P10 0, P90 8000), converted for its deal, 8000: inside, 25% off
        assertThat(report.total().periods()).isEqualTo(2);
        assertThat(report.total().forecastMicros()).isEqualTo(dollars(9500 + 6000));
        assertThat(report.total().actualMicros()).isEqualTo(dollars(15000 + 8000));
        // errors -5500 and -2000: bias -3750 a period; MAPE (0.3667 + 0.25) / 2
        assertThat(report.total().biasMicros()).isEqualTo(dollars(-3750));
        assertThat(report.total().meanAbsolutePercentageError().getAsDouble())
                .isCloseTo((5500.0 / 15000 + 0.25) / 2, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(report.total().withinRange()).isEqualTo(1);
        assertThat(report.total().withinRangeRate()).isEqualTo(0.5);
        assertThat(report.personas()).containsOnlyKeys(Persona.GOLDEN_LEAD, Persona.SILENT_SUCCESS, Persona.CONTRARY_CONVERTER,
                Persona.FIZZLER);
        assertThat(report.personas().get(Persona.SILENT_SUCCESS).periods()).isEqualTo(1);
        assertThat(report.personas().get(Persona.SILENT_SUCCESS).withinRange()).isEqualTo(1);
    }

    @Test
    void aPeriodWithNothingToJudgeIsListedButDoesNotCountAsAHit() {
        Period june = new Period(millis("2025-06-01T00:00:00Z"), millis("2025-07-01T00:00:00Z"));

        AccuracyReport report = ForecastAccuracy.report(List.of(
                accuracy.judge(MARCH, knownOnMarchFirst(), onRecordNow(), SeedOdds.seed(), "USD"),
                accuracy.judge(june, knownOnMarchFirst(), onRecordNow(), SeedOdds.seed(), "USD")));

        assertThat(report.periods()).hasSize(2);
        assertThat(report.total().periods()).isEqualTo(1);
        assertThat(report.total().withinRange()).as("March's actual was above its range; June is not a hit").isZero();
        assertThat(report.total().biasMicros()).isEqualTo(dollars(-5500));
    }

    private static BigInteger dollars(long dollars) {
        return BigInteger.valueOf(dollars).multiply(BigInteger.valueOf(1_000_000));
    }

    static long millis(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }
}
