package pql.forecast.domain.revenue;

/**
 * P10 / P50 / P90 of the revenue distribution, in micros, with how they were computed.
 * Always {@code p10 <= p50 <= p90}.
 */
public record RevenueRange(long p10, long p50, long p90, String method) {

    public RevenueRange {
        if (p10 > p50 || p50 > p90) {
            throw new IllegalArgumentException("range out of order: " + p10 + " / " + p50 + " / " + p90);
        }
    }

    public boolean contains(long micros) {
        return p10 <= micros && micros <= p90;
    }
}
