package pql.forecast.domain.currency;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Deal sizes in their own currency → the reporting currency, with the rates that apply on one day
 * (see {@link ExchangeRates#into}). Amount × rate is exact, then rounded half-even to the micro; an
 * amount whose converted value does not fit a long of micros is not converted (a per-trial amount
 * always fits, so the forecast's sums stay exact).
 */
public final class CurrencyConversion {

    private static final BigDecimal MAX_MICROS = BigDecimal.valueOf(Long.MAX_VALUE);

    private final String reportingCurrency;
    private final LocalDate day;
    private final Map<String, ExchangeRate> byBase;

    CurrencyConversion(String reportingCurrency, LocalDate day, Map<String, ExchangeRate> byBase) {
        this.reportingCurrency = reportingCurrency;
        this.day = day;
        this.byBase = Map.copyOf(byBase);
    }

    /** No rates: only amounts already in {@code reportingCurrency} are counted. */
    public static CurrencyConversion withoutRates(String reportingCurrency) {
        return new CurrencyConversion(reportingCurrency, null, Map.of());
    }

    public String reportingCurrency() {
        return reportingCurrency;
    }

    /** The UTC day whose rates apply (null without rates). */
    public LocalDate day() {
        return day;
    }

    public Priced price(long micros, String currency) {
        if (reportingCurrency.equals(currency)) {
            return Priced.same(micros, currency);
        }
        ExchangeRate rate = byBase.get(currency);
        if (rate == null) {
            return Priced.unconverted(micros, currency,
                    "no exchange rate " + currency + "->" + reportingCurrency + (day == null ? "" : " dated on or before " + day));
        }
        BigDecimal converted = BigDecimal.valueOf(micros).multiply(rate.rate()).setScale(0, RoundingMode.HALF_EVEN);
        if (converted.compareTo(MAX_MICROS) > 0) {
            return Priced.unconverted(micros, currency, "converted at " + rate.rate().toPlainString()
                    + " the amount exceeds 9,223,372,036,854.775807 " + reportingCurrency);
        }
        return Priced.converted(micros, currency, converted.longValueExact(), rate);
    }

    /** The forecast's warning over every unconverted currency, or null when there is none. */
    public String warning(List<UnconvertedCurrency> unconverted) {
        if (unconverted.isEmpty()) {
            return null;
        }
        long trials = unconverted.stream().mapToLong(UnconvertedCurrency::trials).sum();
        return trials + " open trial" + (trials == 1 ? "" : "s") + " not converted to " + reportingCurrency
                + ", not in the totals: " + unconverted.stream().map(u -> u.trials() + " in " + u.currency() + " (" + u.reason() + ")")
                        .collect(Collectors.joining(", "));
    }
}
