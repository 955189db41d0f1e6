package pql.forecast.domain.revenue;

import java.util.List;

/**
 * Expected revenue over the open trials a query selects, in totals and by group.
 *
 * @param skippedOtherCurrency open trials matching the filter but priced in another currency
 * @param skippedNoDealSize open trials matching the filter without a deal size
 * @param approximateClassifications counted trials whose persona is the nearest, not an exact, match
 */
public record Forecast(ForecastGroup total, List<ForecastGroup> groups, long skippedOtherCurrency, long skippedNoDealSize,
        long approximateClassifications) {

    public Forecast {
        groups = List.copyOf(groups);
    }
}
