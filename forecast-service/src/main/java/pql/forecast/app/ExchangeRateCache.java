package pql.forecast.app;

import java.util.ArrayList;
import java.util.List;
import pql.forecast.domain.currency.ExchangeRate;
import pql.forecast.domain.currency.ExchangeRates;

/**
 * Every exchange rate recorded, kept here: a recorded rate never changes, so each forecast only asks
 * scoring for the rates recorded since the newest one held (one small call) and known_at is applied
 * here, by each rate's recorded instant ({@link ExchangeRates#into}).
 */
public final class ExchangeRateCache {

    private final ExchangeRatesSource source;
    private volatile ExchangeRates held = ExchangeRates.none();
    private long lastSequence;

    public ExchangeRateCache(ExchangeRatesSource source) {
        this.source = source;
    }

    /** Every rate recorded up to now. */
    public synchronized ExchangeRates current() {
        List<ExchangeRate> fresh = source.recordedAfter(lastSequence);
        if (!fresh.isEmpty()) {
            List<ExchangeRate> all = new ArrayList<>(held.all());
            all.addAll(fresh);
            held = new ExchangeRates(all);
            lastSequence = fresh.get(fresh.size() - 1).sequence();
        }
        return held;
    }
}
