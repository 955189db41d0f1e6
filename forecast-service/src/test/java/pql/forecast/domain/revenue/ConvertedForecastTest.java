package pql.forecast.domain.revenue;

import static org.assertj.core.api.Assertions.assertThat;
import static pql.forecast.domain.Trials.trial;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import pql.forecast.domain.AccountSnapshot;
import pql.forecast.domain.Persona;
import pql.forecast.domain.currency.CurrencyConversion;
import pql.forecast.domain.currency.ExchangeRate;
import pql.forecast.domain.currency.ExchangeRates;
import pql.forecast.domain.currency.Priced;
import pql.forecast.domain.currency.UnconvertedCurrency;
import pql.forecast.support.SeedOdds;

/** A forecast over trials in several currencies, in one reporting currency. */
class ConvertedForecastTest {

    private final ForecastCalculator calculator = new ForecastCalculator(new RangeEstimator(8192),
            OpenTrialPolicy.TRIALS_ONLY, 20_000_000);

    private final CurrencyConversion intoDollars = new ExchangeRates(List.of(
            new ExchangeRate("EUR", "USD", new BigDecimal("1.08"), LocalDate.parse("2026-01-01"), 0, 1),
            new ExchangeRate("CHF", "USD", new BigDecimal("1.1337"), LocalDate.parse("2026-01-01"), 0, 2)))
            .into("USD", Instant.parse("2026-01-15T00:00:00Z"), null);

    private static List<AccountSnapshot> portfolio() {
        return List.of(
                trial("usd").persona(Persona.SILENT_SUCCESS).deal("8000.00").build(),
                trial("eur").persona(Persona.GOLDEN_LEAD).deal("10000.00").currency("EUR").build(),
                trial("chf").persona(Persona.CONTRARY_CONVERTER).deal("3333.33").currency("CHF").build(),
                trial("gbp1").persona(Persona.GOLDEN_LEAD).deal("500.00").currency("GBP").build(),
                trial("gbp2").persona(Persona.FIZZLER).deal("250.00").currency("GBP").build(),
                trial("jpy").persona(Persona.FIZZLER).deal("100000").currency("JPY").build());
    }

    @Test
    void trialsInOtherCurrenciesAreConvertedAndThoseWithoutARateAreListedWithAWarning() {
        Forecast forecast = calculator.compute(portfolio(), SeedOdds.seed(), ForecastQuery.totals("USD"), intoDollars);

        // usd  8,000.00                        x 0.75 = 6,000.00
        // eur 10,000.00 x 1.08   = 10,800.00   x 0.90 = 9,720.00
        // chf  3,333.33 x 1.1337 = 3,333.33 + 445.666221 = 3,778.996221   x 0.60 = 2,267.3977326 -> 2,267.397733
        // pipeline 22,578.996221; expected 17,987.397733
        assertThat(forecast.total().pipelineMicros()).isEqualTo(BigInteger.valueOf(22_578_996_221L));
        assertThat(forecast.total().expectedMicros()).isEqualTo(BigInteger.valueOf(17_987_397_733L));
        assertThat(forecast.total().openTrials()).isEqualTo(3);
        assertThat(forecast.convertedTrials()).isEqualTo(2);
        // GBP and JPY have no rate: not in the totals, never silently
        assertThat(forecast.skippedOtherCurrency()).isEqualTo(3);
        assertThat(forecast.unconverted()).containsExactly(
                new UnconvertedCurrency("GBP", 2, BigInteger.valueOf(750_000_000L),
                        "no exchange rate GBP->USD dated on or before 2026-01-15"),
                new UnconvertedCurrency("JPY", 1, BigInteger.valueOf(100_000_000_000L),
                        "no exchange rate JPY->USD dated on or before 2026-01-15"));
        assertThat(forecast.warning()).isEqualTo("3 open trials not converted to USD, not in the totals: "
                + "2 in GBP (no exchange rate GBP->USD dated on or before 2026-01-15), "
                + "1 in JPY (no exchange rate JPY->USD dated on or before 2026-01-15)");
    }

    @Test
    void theTotalsEqualTheSumOfTheConvertedLinesExactly() {
        ForecastQuery query = ForecastQuery.totals("USD");
        Forecast forecast = calculator.compute(portfolio(), SeedOdds.seed(), query, intoDollars);
        List<ForecastLine> lines = new ArrayList<>();
        new ForecastLines(portfolio(), calculator.selector(query, intoDollars), SeedOdds.seed(), true)
                .forEachRemaining(lines::add);

        BigInteger deals = BigInteger.ZERO;
        BigInteger expected = BigInteger.ZERO;
        for (ForecastLine line : lines) {
            deals = deals.add(BigInteger.valueOf(line.deal().micros()));
            expected = expected.add(BigInteger.valueOf(line.expectedMicros()));
        }
        assertThat(deals).isEqualTo(forecast.total().pipelineMicros());
        assertThat(expected).isEqualTo(forecast.total().expectedMicros());
        // the export lists the unconverted trials too, with their original amount and warning
        assertThat(lines).hasSize(6);
        ForecastLine pounds = lines.get(3);
        assertThat(pounds.deal().kind()).isEqualTo(Priced.Kind.UNCONVERTED);
        assertThat(pounds.deal().originalMicros()).isEqualTo(500_000_000L);
        assertThat(pounds.expectedMicros()).isZero();
        ForecastLine euros = lines.get(1);
        assertThat(euros.deal().micros()).isEqualTo(10_800_000_000L);
        assertThat(euros.deal().rate().rate()).isEqualByComparingTo("1.08");
    }

    @Test
    void withoutRatesOnlyTheReportingCurrencyCounts() {
        Forecast forecast = calculator.compute(portfolio(), SeedOdds.seed(), ForecastQuery.totals("USD"));

        assertThat(forecast.total().openTrials()).isEqualTo(1);
        assertThat(forecast.skippedOtherCurrency()).isEqualTo(5);
        assertThat(forecast.unconverted()).extracting(UnconvertedCurrency::currency).containsExactly("CHF", "EUR", "GBP", "JPY");
    }
}
