package pql.forecast.domain.revenue;

import pql.forecast.domain.AccountSnapshot;
import pql.forecast.domain.Odds;
import pql.forecast.domain.PersonaMatch;
import pql.forecast.domain.currency.Priced;

/**
 * One open trial in a forecast: its persona, odds, deal size in the reporting currency ({@code deal},
 * with the original and the rate used) and deal size x odds (half-even, micros; 0 for a trial
 * whose deal could not be converted, which is listed but not counted).
 */
public record ForecastLine(AccountSnapshot account, PersonaMatch match, Odds odds, Priced deal, long expectedMicros) {
}
