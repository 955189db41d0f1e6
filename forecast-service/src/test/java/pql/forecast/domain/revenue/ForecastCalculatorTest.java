package pql.forecast.domain.revenue;

import static org.assertj.core.api.Assertions.assertThat;
import static pql.forecast.domain.Trials.trial;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import pql.forecast.domain.AccountSnapshot;
import pql.forecast.domain.CloseMonth;
import pql.forecast.domain.CommunicationLevel;
import pql.forecast.domain.Level;
import pql.forecast.domain.OpportunitySize;
import pql.forecast.domain.OutcomeKind;
import pql.forecast.domain.Persona;
import pql.forecast.domain.Plan;
import pql.forecast.support.SeedOdds;

class ForecastCalculatorTest {

    private final ForecastCalculator calculator = new ForecastCalculator(new RangeEstimator(8192),
            OpenTrialPolicy.TRIALS_ONLY, 20_000_000);

    /** One open trial per persona in USD, plus the trials a forecast leaves out. */
    private static List<AccountSnapshot> portfolio() {
        return List.of(
                trial("a1").persona(Persona.GOLDEN_LEAD).deal("12345.67").owner("ann").size(OpportunitySize.LARGE).build(),
                trial("a2").persona(Persona.SILENT_SUCCESS).deal("8000.00").owner("bob").trialEnd("2025-04-02T00:00:00Z").build(),
                trial("a3").persona(Persona.CONTRARY_CONVERTER).deal("10000.01").owner("ann").build(),
                trial("a4").persona(Persona.POSITIVE_PROCRASTINATOR).deal("3333.33").owner("bob").size(OpportunitySize.SMALL).build(),
                trial("a5").persona(Persona.FIZZLER).deal("4999.99").owner("ann").trialEnd(null).build(),
                trial("a6").persona(Persona.INCOMPATIBLE_IGNORAMUS).deal("2000.00").owner("bob").size(OpportunitySize.SMALL).build(),
                trial("a7").persona(Persona.HEARTBREAKER).deal("25000.00").owner("ann").size(OpportunitySize.LARGE).build(),
                // left out:
                trial("x1").persona(Persona.GOLDEN_LEAD).deal("9999.00").currency("EUR").build(),
                trial("x2").persona(Persona.GOLDEN_LEAD).noDeal().build(),
                trial("x3").persona(Persona.GOLDEN_LEAD).deal("5000.00").plan(Plan.PAID)
                        .closed(OutcomeKind.CONVERTED, "2025-02-01T00:00:00Z", Persona.GOLDEN_LEAD).build(),
                trial("x4").persona(Persona.GOLDEN_LEAD).deal("5000.00")
                        .closed(OutcomeKind.LOST, "2025-02-01T00:00:00Z", Persona.GOLDEN_LEAD).build(),
                trial("x5").persona(Persona.GOLDEN_LEAD).deal("5000.00").plan(Plan.FREEMIUM).build(),
                trial("x6").persona(Persona.GOLDEN_LEAD).deal("5000.00").plan(Plan.UNSPECIFIED).build());
    }

    private static String dollars(BigInteger micros) {
        return new BigDecimal(micros, 6).setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    }

    @Test
    void aHandComputedPortfolioMatchesToTheCent() {
        Forecast forecast = calculator.compute(portfolio(), SeedOdds.seed(), ForecastQuery.totals("USD"));

        // 12345.67 x 0.90 = 11111.103      8000.00 x 0.75 = 6000.00     10000.01 x 0.60 = 6000.006
        //  3333.33 x 0.30 =   999.999      4999.99 x 0.10 =  499.999     2000.00 x 0.05 =  100.00
        // 25000.00 x 0.05 =  1250.00       sum = 25961.107
        assertThat(dollars(forecast.total().expectedMicros())).isEqualTo("25961.11");
        assertThat(forecast.total().expectedMicros()).isEqualTo(BigInteger.valueOf(25_961_107_000L));
        assertThat(dollars(forecast.total().pipelineMicros())).isEqualTo("65679.00");
        assertThat(forecast.total().openTrials()).isEqualTo(7);
        assertThat(forecast.skippedOtherCurrency()).isEqualTo(1);
        assertThat(forecast.skippedNoDealSize()).isEqualTo(1);
        assertThat(forecast.approximateClassifications()).isZero();
        assertThat(forecast.groups()).isEmpty();
    }

    @Test
    void dealSizesStoredBeforeIngestHadALimitStillGiveTheExactForecast() {
        // issue #13: two trials of Long.MAX_VALUE micros each took every forecast down with "long overflow"
        List<AccountSnapshot> huge = List.of(
                trial("h1").persona(Persona.HEARTBREAKER).dealMicros(Long.MAX_VALUE).build(),
                trial("h2").persona(Persona.HEARTBREAKER).dealMicros(Long.MAX_VALUE).build());

        Forecast forecast = calculator.compute(huge, SeedOdds.seed(),
                new ForecastQuery(List.of(Dimension.PERSONA), ForecastFilter.ALL, "USD"));

        assertThat(forecast.total().pipelineMicros()).isEqualTo(new BigInteger("18446744073709551614"));
        // 9223372036854775807 x 0.05 = 461168601842738790.35, half-even to the micro, twice
        assertThat(forecast.total().expectedMicros()).isEqualTo(new BigInteger("922337203685477580"));
        RevenueRange range = forecast.total().range();
        // 0 with 90.25%, one deal with 9.5%, both with 0.25%: P10 = P50 = P90 = 0, widened to the mean
        assertThat(range.p10()).isZero();
        assertThat(range.p50()).isZero();
        assertThat(range.p90()).isEqualTo(new BigInteger("922337203685477580"));
        assertThat(forecast.groups()).singleElement().satisfies(group ->
                assertThat(group.pipelineMicros()).isEqualTo(new BigInteger("18446744073709551614")));
    }

    @Test
    void groupsAreTheCrossProductInTheAskedOrder() {
        Forecast forecast = calculator.compute(portfolio(), SeedOdds.seed(),
                new ForecastQuery(List.of(Dimension.OWNER, Dimension.CLOSE_MONTH), ForecastFilter.ALL, "USD"));

        assertThat(forecast.groups()).extracting(group -> group.key().owner() + " " + group.key().closeMonth())
                .containsExactly("ann 2025-03", "ann unscheduled", "bob 2025-03", "bob 2025-04");
        ForecastGroup annMarch = forecast.groups().get(0);
        assertThat(annMarch.openTrials()).isEqualTo(3);
        assertThat(dollars(annMarch.expectedMicros())).isEqualTo("18361.11"); // 11111.103 + 6000.006 + 1250
        assertThat(annMarch.key().persona()).isNull();
        assertThat(forecast.groups().stream().map(ForecastGroup::expectedMicros).reduce(BigInteger.ZERO, BigInteger::add))
                .isEqualTo(forecast.total().expectedMicros());
        assertThat(forecast.groups().stream().mapToLong(ForecastGroup::openTrials).sum()).isEqualTo(7);
    }

    @Test
    void groupedByPersonaEachPersonaCarriesItsSeedOdds() {
        Forecast forecast = calculator.compute(portfolio(), SeedOdds.seed(),
                new ForecastQuery(List.of(Dimension.PERSONA), ForecastFilter.ALL, "USD"));

        assertThat(forecast.groups()).extracting(group -> group.key().persona()).containsExactly(Persona.values());
        for (ForecastGroup group : forecast.groups()) {
            assertThat(group.expectedMicros()).isEqualTo(BigInteger.valueOf(
                    SeedOdds.seed().of(group.key().persona()).applyTo(group.pipelineMicros().longValueExact())));
        }
    }

    @Test
    void filtersNarrowEveryDimension() {
        ForecastFilter filter = new ForecastFilter(Set.of(Persona.GOLDEN_LEAD, Persona.HEARTBREAKER, Persona.FIZZLER),
                Set.of(OpportunitySize.LARGE, OpportunitySize.MID), Set.of("ann"), Set.of("2025-03"));
        Forecast forecast = calculator.compute(portfolio(), SeedOdds.seed(), new ForecastQuery(List.of(), filter, "USD"));

        assertThat(forecast.total().openTrials()).isEqualTo(2); // a1, a7 (a5 is unscheduled)
        assertThat(dollars(forecast.total().expectedMicros())).isEqualTo("12361.10");
        assertThat(forecast.skippedOtherCurrency()).as("x1 matches the filter but is priced in EUR").isEqualTo(1);

        ForecastFilter unscheduled = new ForecastFilter(Set.of(), Set.of(), Set.of(), Set.of(CloseMonth.UNSCHEDULED));
        assertThat(calculator.compute(portfolio(), SeedOdds.seed(), new ForecastQuery(List.of(), unscheduled, "USD"))
                .total().openTrials()).isEqualTo(1);
    }

    @Test
    void anotherCurrencyIsForecastOnItsOwn() {
        Forecast euros = calculator.compute(portfolio(), SeedOdds.seed(), ForecastQuery.totals("EUR"));

        assertThat(euros.total().openTrials()).isEqualTo(1);
        assertThat(dollars(euros.total().expectedMicros())).isEqualTo("8999.10");
        assertThat(euros.skippedOtherCurrency()).isEqualTo(7);
    }

    @Test
    void freemiumCountsOnlyWhenConfigured() {
        ForecastCalculator withFreemium = new ForecastCalculator(new RangeEstimator(8192),
                new OpenTrialPolicy(true), 20_000_000);

        assertThat(withFreemium.compute(portfolio(), SeedOdds.seed(), ForecastQuery.totals("USD")).total().openTrials()).isEqualTo(8);
    }

    @Test
    void approximateClassificationsAreCounted() {
        List<AccountSnapshot> trials = List.of(
                trial("n1").levels(Level.HIGH, Level.MEDIUM, CommunicationLevel.ACTIVE)
                        .scoringSays(Persona.CONTRARY_CONVERTER, true, 1, Persona.GOLDEN_LEAD).deal("100").build(),
                trial("n2").levels(Level.LOW, Level.LOW, CommunicationLevel.ACTIVE).fit(pql.forecast.domain.Fit.UNKNOWN)
                        .scoringSays(Persona.POSITIVE_PROCRASTINATOR, true, 0).deal("100").build(),
                trial("n3").persona(Persona.GOLDEN_LEAD).deal("100").build());

        Forecast forecast = calculator.compute(trials, SeedOdds.seed(), ForecastQuery.totals("USD"));

        assertThat(forecast.approximateClassifications()).isEqualTo(2);
        assertThat(dollars(forecast.total().expectedMicros())).isEqualTo("180.00"); // 60 + 30 + 90
    }

    @Test
    void linesAddUpToTheForecast() {
        ForecastQuery query = ForecastQuery.totals("USD");
        Forecast forecast = calculator.compute(portfolio(), SeedOdds.seed(), query);
        ForecastLines lines = new ForecastLines(portfolio(), calculator.selector(query), SeedOdds.seed());
        long sum = 0;
        int count = 0;
        while (lines.hasNext()) {
            ForecastLine line = lines.next();
            sum += line.expectedMicros();
            count++;
            assertThat(line.odds()).isEqualTo(SeedOdds.seed().of(line.match().persona()));
        }
        assertThat(count).isEqualTo(7);
        assertThat(BigInteger.valueOf(sum)).isEqualTo(forecast.total().expectedMicros());
    }

    @Test
    void comparingTwoVersionsListsTheTrialsThatMoved() {
        List<AccountSnapshot> baseline = List.of(
                trial("a").persona(Persona.GOLDEN_LEAD).deal("1000").build(),
                trial("b").persona(Persona.FIZZLER).deal("1000").build(),
                trial("c").persona(Persona.HEARTBREAKER).deal("1000").build());
        List<AccountSnapshot> candidate = List.of(
                trial("a").persona(Persona.GOLDEN_LEAD).deal("1000").build(),
                trial("b").persona(Persona.SILENT_SUCCESS).deal("1000").build(),
                trial("c").persona(Persona.HEARTBREAKER).deal("1000").closed(OutcomeKind.LOST, "2025-01-01T00:00:00Z",
                        Persona.HEARTBREAKER).build(),
                trial("d").persona(Persona.CONTRARY_CONVERTER).deal("1000").build());

        List<AccountChange> changes = ForecastComparison.changes(baseline, SeedOdds.seed(), candidate, SeedOdds.seed(),
                calculator.selector(ForecastQuery.totals("USD")));

        assertThat(changes).containsExactly(
                new AccountChange("b", Persona.FIZZLER, Persona.SILENT_SUCCESS, 100_000_000, 750_000_000),
                new AccountChange("c", Persona.HEARTBREAKER, null, 50_000_000, 0),
                new AccountChange("d", null, Persona.CONTRARY_CONVERTER, 0, 600_000_000));
    }
}
