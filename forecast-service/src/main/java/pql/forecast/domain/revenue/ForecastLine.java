package pql.forecast.domain.revenue;

import pql.forecast.domain.AccountSnapshot;
import pql.forecast.domain.Odds;
import pql.forecast.domain.PersonaMatch;

/** One open trial in a forecast: its persona, odds and deal size x odds (half-even, micros). */
public record ForecastLine(AccountSnapshot account, PersonaMatch match, Odds odds, long expectedMicros) {
}
