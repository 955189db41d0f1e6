package pql.forecast.domain.revenue;

import java.util.List;
import pql.forecast.domain.currency.UnconvertedCurrency;

/**
 * Expected revenue over the open trials a query selects, in totals and by group, in the reporting
 * currency.
 *
 * @param skippedOtherCurrency open trials matching the filter whose currency could not be converted
 *     (the sum of {@code unconverted}'s trials)
 * @param skippedNoDealSize open trials matching the filter without a deal size
 * @param approximateClassifications counted trials whose persona is the nearest, not an exact, match
 * @param convertedTrials counted trials converted from another currency
 * @param unconverted per currency, the trials left out for want of a rate, in currency order
 * @param warning about {@code unconverted}, null when it is empty
 */
public record Forecast(ForecastGroup total, List<ForecastGroup> groups, long skippedOtherCurrency, long skippedNoDealSize,
        long approximateClassifications, long convertedTrials, List<UnconvertedCurrency> unconverted, String warning) {

    public Forecast {
        groups = List.copyOf(groups);
        unconverted = List.copyOf(unconverted);
    }
}
