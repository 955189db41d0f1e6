package pql.forecast.app;

import java.util.List;
import pql.forecast.domain.currency.ExchangeRate;

/**
 * Port: the exchange rates recorded so far (scoring-service's ListExchangeRates). Throws
 * {@link ForecastException} when it cannot answer.
 */
public interface ExchangeRatesSource {

    /** Rates recorded after {@code afterSequence} (0: all), in recording order, whatever their known_at. */
    List<ExchangeRate> recordedAfter(long afterSequence);
}
