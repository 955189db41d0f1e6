package pql.forecast.domain.currency;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every exchange rate recorded, and which one applies to an evaluation instant.
 *
 * <p>The rule (bitemporal, like every read): into reporting currency Q at instant {@code asOf} as
 * known at {@code knownAt}, a trial priced in B uses, among the rates B→Q recorded at or before
 * {@code knownAt}, the one with the newest effective date on or before {@code asOf}'s UTC day;
 * of two with that date, the later recorded (a correction). Only direct rates are used: no
 * inverse (1/rate is not exact) and no cross rates through a third currency.
 */
public final class ExchangeRates {

    private static final Comparator<ExchangeRate> NEWEST = Comparator.comparing(ExchangeRate::effectiveDate)
            .thenComparingLong(ExchangeRate::sequence);

    private final List<ExchangeRate> rates;

    public ExchangeRates(List<ExchangeRate> rates) {
        this.rates = List.copyOf(rates);
    }

    public static ExchangeRates none() {
        return new ExchangeRates(List.of());
    }

    public List<ExchangeRate> all() {
        return rates;
    }

    /**
     * The conversion into {@code reportingCurrency} at {@code asOf}.
     *
     * @param knownAtMillis only rates recorded at or before it (null: every rate recorded)
     */
    public CurrencyConversion into(String reportingCurrency, Instant asOf, Long knownAtMillis) {
        LocalDate day = asOf.atZone(ZoneOffset.UTC).toLocalDate();
        Map<String, ExchangeRate> applicable = new HashMap<>();
        for (ExchangeRate rate : rates) {
            boolean known = knownAtMillis == null || rate.recordedAtMillis() <= knownAtMillis;
            if (known && rate.quote().equals(reportingCurrency) && !rate.effectiveDate().isAfter(day)) {
                applicable.merge(rate.base(), rate, (a, b) -> NEWEST.compare(a, b) >= 0 ? a : b);
            }
        }
        return new CurrencyConversion(reportingCurrency, day, applicable);
    }
}
