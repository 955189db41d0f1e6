package pql.forecast.domain.currency;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;

/**
 * One recorded exchange rate: one unit of {@code base} is worth {@code rate} units of {@code quote}
 * from 00:00 UTC of {@code effectiveDate} on.
 *
 * @param rate exact, as ingested ("1.08" stays 1.08, never a binary double)
 * @param recordedAtMillis when ingest accepted it: what known_at compares with
 * @param sequence recording order (1, 2, 3...): of two rates for one pair and date, the later recorded one is the correction
 */
public record ExchangeRate(String base, String quote, BigDecimal rate, LocalDate effectiveDate, long recordedAtMillis,
        long sequence) {

    public ExchangeRate {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(quote, "quote");
        Objects.requireNonNull(effectiveDate, "effectiveDate");
        if (rate.signum() <= 0) {
            throw new IllegalArgumentException("an exchange rate must be positive: " + rate);
        }
    }
}
