package pql.forecast.domain.revenue;

import java.math.BigInteger;

/**
 * A running sum of longs that cannot overflow: two's complement in 128 bits, so 2^64 terms of any
 * size fit (a portfolio of 10^7 deals of Long.MAX_VALUE micros needs 88 bits). As cheap as a long
 * per addition, read as a {@link BigInteger} once at the end. Mutable, for one thread.
 */
public final class ExactSum {

    private static final BigInteger TWO_TO_THE_64 = BigInteger.ONE.shiftLeft(64);

    /** Upper 64 bits, signed. */
    private long high;
    /** Lower 64 bits, unsigned. */
    private long low;

    public void add(long value) {
        long sum = low + value;
        // the carry out of the unsigned lower word, plus value's sign extended into the upper one
        high += (value >> 63) + (Long.compareUnsigned(sum, low) < 0 ? 1 : 0);
        low = sum;
    }

    public BigInteger value() {
        BigInteger lower = BigInteger.valueOf(low);
        if (low < 0) {
            lower = lower.add(TWO_TO_THE_64);
        }
        return BigInteger.valueOf(high).shiftLeft(64).add(lower);
    }

    static BigInteger of(long[] values, int count) {
        ExactSum sum = new ExactSum();
        for (int i = 0; i < count; i++) {
            sum.add(values[i]);
        }
        return sum.value();
    }
}
