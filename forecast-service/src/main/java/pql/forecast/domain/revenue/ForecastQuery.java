package pql.forecast.domain.revenue;

import java.util.List;
import java.util.Objects;

/**
 * @param groupBy dimensions of the groups, in this order; empty for totals only
 * @param currency ISO 4217, the reporting currency: trials in other currencies are converted into
 *     it where a rate applies (see {@link pql.forecast.domain.currency.ExchangeRates})
 */
public record ForecastQuery(List<Dimension> groupBy, ForecastFilter filter, String currency) {

    public ForecastQuery {
        groupBy = List.copyOf(groupBy);
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(currency, "currency");
        if (groupBy.size() != groupBy.stream().distinct().count()) {
            throw new IllegalArgumentException("group_by repeats a dimension: " + groupBy);
        }
    }

    public static ForecastQuery totals(String currency) {
        return new ForecastQuery(List.of(), ForecastFilter.ALL, currency);
    }
}
