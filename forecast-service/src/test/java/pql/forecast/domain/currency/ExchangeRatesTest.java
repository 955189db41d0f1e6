package pql.forecast.domain.currency;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which rate applies at an instant as known at another, and the conversion's exact arithmetic. */
class ExchangeRatesTest {

    private static final long JAN_2 = Instant.parse("2026-01-02T09:00:00Z").toEpochMilli();
    private static final long FEB_3 = Instant.parse("2026-02-03T09:00:00Z").toEpochMilli();

    static ExchangeRate rate(String base, String quote, String rate, String date, long recordedAt, long sequence) {
        return new ExchangeRate(base, quote, new BigDecimal(rate), LocalDate.parse(date), recordedAt, sequence);
    }

    private final ExchangeRates rates = new ExchangeRates(List.of(
            rate("EUR", "USD", "1.08", "2026-01-01", JAN_2, 1),
            rate("EUR", "USD", "1.10", "2026-02-01", FEB_3, 2),
            rate("GBP", "EUR", "1.17", "2026-01-01", JAN_2, 3)));

    @Test
    void aEuroDealAt108IsWorthItsAmountTimes108InDollars() {
        // given EUR->USD 1.08 from 2026-01-01, when a forecast in USD is made on 2026-01-15
        CurrencyConversion conversion = rates.into("USD", Instant.parse("2026-01-15T12:00:00Z"), null);

        // then 10,000.00 EUR = 10,800.00 USD, with the rate used
        Priced deal = conversion.price(10_000_000_000L, "EUR");
        assertThat(deal.kind()).isEqualTo(Priced.Kind.CONVERTED);
        assertThat(deal.micros()).isEqualTo(10_800_000_000L);
        assertThat(deal.originalMicros()).isEqualTo(10_000_000_000L);
        assertThat(deal.rate().rate()).isEqualByComparingTo("1.08");
        assertThat(deal.rate().effectiveDate()).isEqualTo(LocalDate.parse("2026-01-01"));
    }

    @Test
    void aRateDatedAfterTheEvaluationInstantIsNotUsed() {
        // given 1.08 from January 1st and 1.10 from February 1st
        // when evaluated the last millisecond of January, then January's rate applies
        assertThat(rates.into("USD", Instant.parse("2026-01-31T23:59:59.999Z"), null).price(1_000_000, "EUR").micros())
                .isEqualTo(1_080_000);
        // and from 00:00 UTC of February 1st, February's
        assertThat(rates.into("USD", Instant.parse("2026-02-01T00:00:00Z"), null).price(1_000_000, "EUR").micros())
                .isEqualTo(1_100_000);
        // and before the first rate there is none
        assertThat(rates.into("USD", Instant.parse("2025-12-31T23:00:00Z"), null).price(1_000_000, "EUR").counted())
                .isFalse();
    }

    @Test
    void aRateRecordedAfterKnownAtIsNotKnown() {
        // given February's rate was recorded on February 3rd
        Instant feb2 = Instant.parse("2026-02-02T12:00:00Z");
        // when asked about February 2nd as known on February 2nd, then January's rate is the newest known
        assertThat(rates.into("USD", feb2, feb2.toEpochMilli()).price(1_000_000, "EUR").micros()).isEqualTo(1_080_000);
        // and as known now, February's (recorded later, dated before the instant)
        assertThat(rates.into("USD", feb2, null).price(1_000_000, "EUR").micros()).isEqualTo(1_100_000);
    }

    @Test
    void aCorrectionForTheSameDateWinsFromWhenItIsRecorded() {
        // given January's rate corrected to 1.09 on February 3rd
        ExchangeRates corrected = new ExchangeRates(List.of(
                rate("EUR", "USD", "1.08", "2026-01-01", JAN_2, 1),
                rate("EUR", "USD", "1.09", "2026-01-01", FEB_3, 2)));
        Instant jan15 = Instant.parse("2026-01-15T00:00:00Z");

        assertThat(corrected.into("USD", jan15, null).price(1_000_000, "EUR").micros()).isEqualTo(1_090_000);
        assertThat(corrected.into("USD", jan15, FEB_3 - 1).price(1_000_000, "EUR").micros()).isEqualTo(1_080_000);
    }

    @Test
    void aCurrencyWithoutADirectRateIsUnconvertedWithAWarning() {
        CurrencyConversion conversion = rates.into("USD", Instant.parse("2026-03-01T00:00:00Z"), null);

        // GBP has a rate into EUR only: no cross rates, no inverse
        Priced pounds = conversion.price(5_000_000, "GBP");
        assertThat(pounds.kind()).isEqualTo(Priced.Kind.UNCONVERTED);
        assertThat(pounds.micros()).isZero();
        assertThat(pounds.reason()).isEqualTo("no exchange rate GBP->USD dated on or before 2026-03-01");
        assertThat(rates.into("EUR", Instant.parse("2026-03-01T00:00:00Z"), null).price(1_000_000, "USD").counted())
                .as("USD->EUR is not the inverse of EUR->USD").isFalse();
        // the reporting currency itself needs no rate
        assertThat(conversion.price(5_000_000, "USD").kind()).isEqualTo(Priced.Kind.SAME_CURRENCY);
    }

    @Test
    void convertedAmountsAreRoundedHalfEvenToTheMicro() {
        CurrencyConversion halves = new ExchangeRates(List.of(rate("JPY", "USD", "0.5", "2026-01-01", JAN_2, 1)))
                .into("USD", Instant.parse("2026-01-15T00:00:00Z"), null);

        assertThat(halves.price(5, "JPY").micros()).isEqualTo(2); // 2.5 -> 2
        assertThat(halves.price(7, "JPY").micros()).isEqualTo(4); // 3.5 -> 4
        // 1,234.567891 x 1.0825 = 1,336.4197420075 -> 1,336.419742
        CurrencyConversion exact = new ExchangeRates(List.of(rate("EUR", "USD", "1.0825", "2026-01-01", JAN_2, 1)))
                .into("USD", Instant.parse("2026-01-15T00:00:00Z"), null);
        assertThat(exact.price(1_234_567_891L, "EUR").micros()).isEqualTo(1_336_419_742L);
    }

    @Test
    void anAmountTooLargeForAnInt64OfMicrosOnceConvertedIsUnconverted() {
        CurrencyConversion toDong = new ExchangeRates(List.of(rate("USD", "VND", "25000", "2026-01-01", JAN_2, 1)))
                .into("VND", Instant.parse("2026-01-15T00:00:00Z"), null);

        Priced deal = toDong.price(1_000_000_000_000_000_000L, "USD"); // 10^12 USD
        assertThat(deal.counted()).isFalse();
        assertThat(deal.reason()).contains("exceeds");
    }
}
