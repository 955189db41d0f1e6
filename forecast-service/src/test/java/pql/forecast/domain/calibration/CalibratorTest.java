package pql.forecast.domain.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static pql.forecast.domain.Trials.trial;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import pql.forecast.domain.AccountSnapshot;
import pql.forecast.domain.Odds;
import pql.forecast.domain.OutcomeKind;
import pql.forecast.domain.Persona;
import pql.forecast.domain.PersonaOdds;
import pql.forecast.domain.Plan;
import pql.forecast.support.SeedOdds;

class CalibratorTest {

    private final Calibrator calibrator = new Calibrator(20);

    /** Closed trials of every persona, converting with the given odds. */
    private static List<AccountSnapshot> closedTrials(SplittableRandom random, int perPersona, PersonaOdds truth) {
        List<AccountSnapshot> accounts = new ArrayList<>();
        for (Persona persona : Persona.values()) {
            for (int i = 0; i < perPersona; i++) {
                boolean converted = random.nextDouble() < truth.of(persona).value();
                accounts.add(trial(persona + "-" + i).persona(persona).plan(converted ? Plan.PAID : Plan.TRIAL)
                        .closed(converted ? OutcomeKind.CONVERTED : OutcomeKind.LOST, "2025-02-01T00:00:00Z", persona).build());
            }
        }
        return accounts;
    }

    @Test
    void outcomesDrawnWithTheSeedsOddsRecoverThemWithinTheInterval() {
        List<AccountSnapshot> accounts = closedTrials(new SplittableRandom(42), 2000, SeedOdds.seed());

        CalibrationReport report = calibrator.calibrate(accounts, SeedOdds.seed(), null, null, 0.99);

        assertThat(report.closedTrials()).isEqualTo(7 * 2000);
        assertThat(report.personas()).extracting(PersonaCalibration::persona).containsExactly(Persona.values());
        for (PersonaCalibration persona : report.personas()) {
            assertThat(persona.interval().contains(persona.predictedOdds())).as(persona.toString()).isTrue();
            assertThat(persona.miscalibrated()).isFalse();
            assertThat(persona.observedRate()).isCloseTo(persona.predictedOdds(), within(0.03));
            assertThat(persona.suggestedOdds()).isCloseTo(persona.predictedOdds(), within(0.03));
            // Brier score of well-calibrated odds p is p(1-p)
            double p = persona.predictedOdds();
            assertThat(persona.brierScore()).isCloseTo(p * (1 - p), within(0.02));
        }
    }

    @Test
    void theIntervalCoversTheTrueOddsAsOftenAsItsConfidenceSays() {
        SplittableRandom random = new SplittableRandom(99);
        int covered = 0;
        int total = 0;
        for (int round = 0; round < 60; round++) {
            CalibrationReport report = calibrator.calibrate(closedTrials(random, 150, SeedOdds.seed()), SeedOdds.seed(),
                    null, null, 0.95);
            for (PersonaCalibration persona : report.personas()) {
                total++;
                if (persona.interval().contains(persona.predictedOdds())) {
                    covered++;
                }
            }
        }
        assertThat((double) covered / total).isBetween(0.91, 0.99);
    }

    @Test
    void oddsTheOutcomesContradictAreFlaggedAndASuggestionMovesTowardsTheTruth() {
        PersonaOdds truth = SeedOdds.withOverrides(Map.of(Persona.GOLDEN_LEAD, Odds.of("0.5")));
        List<AccountSnapshot> accounts = closedTrials(new SplittableRandom(3), 400, truth);

        PersonaCalibration golden = calibrator.calibrate(accounts, SeedOdds.seed(), null, null, 0.95).personas().get(0);

        assertThat(golden.persona()).isEqualTo(Persona.GOLDEN_LEAD);
        assertThat(golden.predictedOdds()).isEqualTo(0.9);
        assertThat(golden.miscalibrated()).isTrue();
        assertThat(golden.interval().high()).isLessThan(0.9);
        // (converted + 20 x 0.9) / (400 + 20)
        assertThat(golden.suggestedOdds()).isCloseTo((golden.converted() + 18.0) / 420, within(1e-12));
        assertThat(golden.suggestedOdds()).isBetween(0.45, 0.6);
    }

    @Test
    void fewOutcomesBarelyMoveTheOdds() {
        List<AccountSnapshot> accounts = List.of(
                trial("g1").persona(Persona.GOLDEN_LEAD).closed(OutcomeKind.LOST, "2025-02-01T00:00:00Z", Persona.GOLDEN_LEAD).build());

        PersonaCalibration golden = calibrator.calibrate(accounts, SeedOdds.seed(), null, null, 0.95).personas().get(0);

        assertThat(golden.closedTrials()).isEqualTo(1);
        assertThat(golden.observedRate()).isZero();
        assertThat(golden.brierScore()).isCloseTo(0.81, within(1e-12));
        assertThat(golden.suggestedOdds()).isCloseTo(18.0 / 21, within(1e-12));
        // Wilson at 95% for 0 of 1 is 0 .. 0.79: even one loss puts 0.9 outside, yet the
        // suggestion barely moves; the flag says "look", the suggestion says how far
        assertThat(golden.interval().high()).isCloseTo(0.7935, within(1e-4));
        assertThat(golden.miscalibrated()).isTrue();
    }

    @Test
    void onlyTrialsClosedInThePeriodByConversionOrLossCount() {
        List<AccountSnapshot> accounts = List.of(
                trial("in").persona(Persona.FIZZLER).closed(OutcomeKind.CONVERTED, "2025-02-10T00:00:00Z", Persona.FIZZLER).build(),
                trial("before").persona(Persona.FIZZLER).closed(OutcomeKind.CONVERTED, "2025-01-31T23:59:59Z", Persona.FIZZLER).build(),
                trial("at-the-end").persona(Persona.FIZZLER).closed(OutcomeKind.LOST, "2025-03-01T00:00:00Z", Persona.FIZZLER).build(),
                trial("churned").persona(Persona.FIZZLER).closed(OutcomeKind.CHURNED, "2025-02-10T00:00:00Z", Persona.FIZZLER).build(),
                trial("no-levels").persona(Persona.FIZZLER).closed(OutcomeKind.LOST, "2025-02-10T00:00:00Z", null).build(),
                trial("open").persona(Persona.FIZZLER).build(),
                // classified by its levels before closing (Golden), not its levels now (Fizzler)
                trial("grew-quiet").persona(Persona.FIZZLER).closed(OutcomeKind.CONVERTED, "2025-02-11T00:00:00Z", Persona.GOLDEN_LEAD).build());

        CalibrationReport report = calibrator.calibrate(accounts, SeedOdds.seed(),
                java.time.Instant.parse("2025-02-01T00:00:00Z").toEpochMilli(),
                java.time.Instant.parse("2025-03-01T00:00:00Z").toEpochMilli(), 0.95);

        assertThat(report.closedTrials()).isEqualTo(2);
        assertThat(report.personas().get(Persona.FIZZLER.ordinal()).closedTrials()).isEqualTo(1);
        assertThat(report.personas().get(Persona.GOLDEN_LEAD.ordinal()).converted()).isEqualTo(1);
        // overall Brier: (0.1 - 1)^2 and (0.9 - 1)^2
        assertThat(report.brierScore()).isCloseTo((0.81 + 0.01) / 2, within(1e-12));
    }
}
