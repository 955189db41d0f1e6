package pql.forecast.domain.revenue;

import java.math.BigInteger;

/**
 * P10 / P50 / P90 of the revenue distribution, in micros, with how they were computed.
 * Always {@code p10 <= p50 <= p90}. Exact integers of any size: the range of a total over
 * millions of large deals is beyond a long.
 */
public record RevenueRange(BigInteger p10, BigInteger p50, BigInteger p90, String method) {

    public RevenueRange {
        if (p10.compareTo(p50) > 0 || p50.compareTo(p90) > 0) {
            throw new IllegalArgumentException("range out of order: " + p10 + " / " + p50 + " / " + p90);
        }
    }

    public RevenueRange(long p10, long p50, long p90, String method) {
        this(BigInteger.valueOf(p10), BigInteger.valueOf(p50), BigInteger.valueOf(p90), method);
    }

    public boolean contains(BigInteger micros) {
        return p10.compareTo(micros) <= 0 && micros.compareTo(p90) <= 0;
    }
}
