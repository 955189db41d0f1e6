package pql.forecast.domain.currency;

/**
 * A deal size in the reporting currency, or why it is not.
 *
 * @param micros the amount in the reporting currency (0 when {@link Kind#UNCONVERTED})
 * @param rate the rate used, when {@link Kind#CONVERTED}
 * @param reason why not converted, when {@link Kind#UNCONVERTED}: the line's warning, e.g. "no exchange
 *     rate GBP->USD dated on or before 2026-03-01"
 */
public record Priced(Kind kind, long originalMicros, String originalCurrency, long micros, ExchangeRate rate,
        String reason) {

    /** How the amount reached the reporting currency. */
    public enum Kind {
        SAME_CURRENCY, CONVERTED, UNCONVERTED
    }

    static Priced same(long micros, String currency) {
        return new Priced(Kind.SAME_CURRENCY, micros, currency, micros, null, null);
    }

    static Priced converted(long originalMicros, String currency, long micros, ExchangeRate rate) {
        return new Priced(Kind.CONVERTED, originalMicros, currency, micros, rate, null);
    }

    static Priced unconverted(long originalMicros, String currency, String reason) {
        return new Priced(Kind.UNCONVERTED, originalMicros, currency, 0, null, reason);
    }

    public boolean counted() {
        return kind != Kind.UNCONVERTED;
    }
}
