package pql.forecast.domain.revenue;

import static org.assertj.core.api.Assertions.assertThat;
import static pql.forecast.domain.Trials.trial;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pql.forecast.domain.AccountSnapshot;
import pql.forecast.domain.Odds;
import pql.forecast.domain.OutcomeKind;
import pql.forecast.domain.Persona;
import pql.forecast.domain.PersonaOdds;
import pql.forecast.domain.Plan;
import pql.forecast.domain.currency.CurrencyConversion;
import pql.forecast.domain.revenue.ForecastWaterfall.Movement;
import pql.forecast.domain.revenue.ForecastWaterfall.Result;
import pql.forecast.domain.revenue.ForecastWaterfall.Step;
import pql.forecast.support.SeedOdds;

/** Finance's waterfall: what moved expected revenue between two forecasts, summing exactly to the difference. */
class ForecastWaterfallTest {

    private static final TrialSelector USD_TRIALS =
            new TrialSelector(OpenTrialPolicy.TRIALS_ONLY, ForecastFilter.ALL, CurrencyConversion.withoutRates("USD"));

    private static Result waterfall(List<AccountSnapshot> before, List<AccountSnapshot> after) {
        return ForecastWaterfall.between(before, SeedOdds.seed(), USD_TRIALS, after, SeedOdds.seed(), USD_TRIALS, 10);
    }

    private static Step step(Result result, Movement movement) {
        return result.steps().stream().filter(s -> s.movement() == movement).findFirst().orElseThrow();
    }

    private static BigInteger sumOfSteps(Result result) {
        return result.steps().stream().map(Step::amountMicros).reduce(BigInteger.ZERO, BigInteger::add);
    }

    @Test
    void givenAWeekOfChanges_whenTheWaterfallIsTaken_thenEachMovementHasItsTrialsAndTheStepsSumToTheDifference() {
        List<AccountSnapshot> monday = List.of(
                trial("a-won").persona(Persona.GOLDEN_LEAD).deal("10000.00").build(),        // 9,000.00
                trial("b-lost").persona(Persona.FIZZLER).deal("5000.00").build(),            //   500.00
                trial("c-up").persona(Persona.FIZZLER).deal("8000.00").build(),              //   800.00
                trial("d-down").persona(Persona.SILENT_SUCCESS).deal("4000.00").build(),     // 3,000.00
                trial("e-bigger").persona(Persona.CONTRARY_CONVERTER).deal("1000.00").build(), // 600.00
                trial("f-freemium").persona(Persona.GOLDEN_LEAD).deal("2000.00").plan(Plan.FREEMIUM).build());
        List<AccountSnapshot> friday = List.of(
                trial("a-won").persona(Persona.GOLDEN_LEAD).deal("10000.00").plan(Plan.PAID)
                        .closed(OutcomeKind.CONVERTED, "2025-03-05T00:00:00Z", Persona.GOLDEN_LEAD).build(),
                trial("b-lost").persona(Persona.FIZZLER).deal("5000.00")
                        .closed(OutcomeKind.LOST, "2025-03-05T00:00:00Z", Persona.FIZZLER).build(),
                trial("c-up").persona(Persona.GOLDEN_LEAD).deal("8000.00").build(),          // 7,200.00
                trial("d-down").persona(Persona.HEARTBREAKER).deal("4000.00").build(),      //   200.00
                trial("e-bigger").persona(Persona.CONTRARY_CONVERTER).deal("3000.00").build(), // 1,800.00
                trial("f-freemium").persona(Persona.GOLDEN_LEAD).deal("2000.00").build(),   // 1,800.00 (became a trial)
                trial("g-new").persona(Persona.POSITIVE_PROCRASTINATOR).deal("1000.00").build()); // 300.00

        Result result = waterfall(monday, friday);

        assertThat(result.startMicros()).isEqualTo(BigInteger.valueOf(13_900_000_000L));
        assertThat(result.endMicros()).isEqualTo(BigInteger.valueOf(11_300_000_000L));
        assertThat(result.startMicros().add(sumOfSteps(result))).isEqualTo(result.endMicros());
        assertThat(step(result, Movement.CLOSED_WON).amountMicros()).isEqualTo(BigInteger.valueOf(-9_000_000_000L));
        assertThat(step(result, Movement.CLOSED_LOST).amountMicros()).isEqualTo(BigInteger.valueOf(-500_000_000L));
        assertThat(step(result, Movement.PERSONA_UP).amountMicros()).isEqualTo(BigInteger.valueOf(6_400_000_000L));
        assertThat(step(result, Movement.PERSONA_DOWN).amountMicros()).isEqualTo(BigInteger.valueOf(-2_800_000_000L));
        assertThat(step(result, Movement.DEAL_SIZE).amountMicros()).isEqualTo(BigInteger.valueOf(1_200_000_000L));
        assertThat(step(result, Movement.NEW_TRIAL).amountMicros()).isEqualTo(BigInteger.valueOf(2_100_000_000L));
        assertThat(step(result, Movement.NEW_TRIAL).largest()).extracting(ForecastWaterfall.AccountMovement::accountId)
                .containsExactly("f-freemium", "g-new");
        assertThat(step(result, Movement.DEFINITION).accounts()).isZero();
        assertThat(step(result, Movement.PERSONA_UP).largest()).singleElement().satisfies(move -> {
            assertThat(move.personaBefore()).isEqualTo(Persona.FIZZLER);
            assertThat(move.personaAfter()).isEqualTo(Persona.GOLDEN_LEAD);
        });
    }

    @Test
    void givenNewOddsAndABiggerDealAndANewPersona_whenTheWaterfallIsTaken_thenEachPartIsCountedOnceAndNothingIsLeftOver() {
        // 3,333.33 at Fizzler 10% = 333.333; then 7,777.77 at Fizzler: deal +444.444; the definition moves
        // Fizzler to 12.5%: +194.44425 rounded; the persona moves to Silent Success 75%: the rest
        PersonaOdds newOdds = SeedOdds.withOverrides(Map.of(Persona.FIZZLER, Odds.of("0.125")));
        List<AccountSnapshot> before = List.of(trial("a").persona(Persona.FIZZLER).deal("3333.33").build());
        List<AccountSnapshot> after = List.of(trial("a").persona(Persona.SILENT_SUCCESS).deal("7777.77").build());

        Result result = ForecastWaterfall.between(before, SeedOdds.seed(), USD_TRIALS, after, newOdds, USD_TRIALS, 10);

        assertThat(result.startMicros()).isEqualTo(BigInteger.valueOf(333_333_000L));
        assertThat(result.endMicros()).isEqualTo(BigInteger.valueOf(5_833_327_500L));
        assertThat(step(result, Movement.DEAL_SIZE).amountMicros()).isEqualTo(BigInteger.valueOf(444_444_000L));
        assertThat(step(result, Movement.DEFINITION).amountMicros()).isEqualTo(BigInteger.valueOf(194_444_250L));
        assertThat(step(result, Movement.PERSONA_UP).amountMicros()).isEqualTo(BigInteger.valueOf(4_861_106_250L));
        assertThat(result.startMicros().add(sumOfSteps(result))).isEqualTo(result.endMicros());
    }

    @Test
    void givenTrialsThatLeaveForOtherReasons_whenTheWaterfallIsTaken_thenTheyAreOtherNotClosed() {
        List<AccountSnapshot> before = List.of(
                trial("a").persona(Persona.GOLDEN_LEAD).deal("1000.00").build(),
                trial("b").persona(Persona.GOLDEN_LEAD).noDeal().build());
        List<AccountSnapshot> after = List.of(
                trial("a").persona(Persona.GOLDEN_LEAD).deal("1000.00").currency("EUR").build(),
                trial("b").persona(Persona.GOLDEN_LEAD).deal("500.00").build());

        Result result = waterfall(before, after);

        assertThat(step(result, Movement.OTHER).accounts()).isEqualTo(2);
        assertThat(step(result, Movement.OTHER).amountMicros()).isEqualTo(BigInteger.valueOf(-450_000_000L));
        assertThat(step(result, Movement.NEW_TRIAL).accounts()).isZero();
        assertThat(step(result, Movement.CLOSED_LOST).accounts()).isZero();
    }

    @Test
    void givenManyTrialsInOneStep_whenListed_thenOnlyTheLargestAreKeptButTheTotalAndCountCoverAll() {
        List<AccountSnapshot> after = java.util.stream.IntStream.range(0, 100)
                .mapToObj(i -> trial(String.format("n%03d", i)).persona(Persona.GOLDEN_LEAD).deal(i + 1 + ".00").build())
                .toList();

        Result result = ForecastWaterfall.between(List.of(), SeedOdds.seed(), USD_TRIALS, after, SeedOdds.seed(), USD_TRIALS, 3);

        Step fresh = step(result, Movement.NEW_TRIAL);
        assertThat(fresh.accounts()).isEqualTo(100);
        assertThat(fresh.amountMicros()).isEqualTo(BigInteger.valueOf(4_545_000_000L)); // 0.9 x 5050
        assertThat(fresh.largest()).extracting(ForecastWaterfall.AccountMovement::accountId).containsExactly("n099", "n098", "n097");
    }
}
