package pql.forecast.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A chance of conversion, 0..1, held as the exact decimal it was written as (0.9 is nine
 * tenths, not the nearest binary double) so that deal size x odds rounds the same way a person
 * computing by hand would: half-even to the micro.
 */
public final class Odds implements Comparable<Odds> {

    /** Odds with at most this many decimals take the all-long path in {@link #applyTo}. */
    private static final int FAST_SCALE = 9;
    private static final long[] POWERS_OF_TEN = new long[FAST_SCALE + 1];

    static {
        long power = 1;
        for (int i = 0; i <= FAST_SCALE; i++) {
            POWERS_OF_TEN[i] = power;
            power *= 10;
        }
    }

    private final BigDecimal decimal;
    private final double value;
    private final long numerator;
    private final long denominator;
    private final String percent;

    private Odds(BigDecimal decimal) {
        if (decimal.signum() < 0 || decimal.compareTo(BigDecimal.ONE) > 0) {
            throw new IllegalArgumentException("odds must be within 0..1, got " + decimal.toPlainString());
        }
        BigDecimal stripped = decimal.stripTrailingZeros();
        this.decimal = stripped.scale() < 0 ? stripped.setScale(0) : stripped;
        this.value = this.decimal.doubleValue();
        this.percent = this.decimal.movePointRight(2).stripTrailingZeros().toPlainString() + "%";
        if (this.decimal.scale() <= FAST_SCALE) {
            this.numerator = this.decimal.unscaledValue().longValueExact();
            this.denominator = POWERS_OF_TEN[this.decimal.scale()];
        } else {
            this.numerator = -1;
            this.denominator = -1;
        }
    }

    /** Exactly the decimal written, e.g. "0.9". */
    public static Odds of(String decimal) {
        return new Odds(new BigDecimal(decimal));
    }

    /** The shortest decimal that reads back as this double (0.9, not 0.90000000000000002220...). */
    public static Odds of(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("odds must be a finite number, got " + value);
        }
        return new Odds(BigDecimal.valueOf(value));
    }

    public double value() {
        return value;
    }

    public BigDecimal decimal() {
        return decimal;
    }

    /** {@code micros x odds}, rounded half-even to the micro. */
    public long applyTo(long micros) {
        if (numerator >= 0 && micros >= 0) {
            // micros = q*d + r, so micros*n/d = q*n + r*n/d; q*n <= micros and r*n < d*d <= 10^18:
            // neither overflows, and only the second part has a remainder to round.
            long quotient = micros / denominator;
            long remainder = micros % denominator;
            long part = remainder * numerator;
            long result = quotient * numerator + part / denominator;
            long left = part % denominator;
            long twice = left * 2;
            if (twice > denominator || (twice == denominator && (result & 1) == 1)) {
                result++;
            }
            return result;
        }
        return BigDecimal.valueOf(micros).multiply(decimal).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    }

    /** As a percentage for people, e.g. "90%" or "12.5%". */
    public String percent() {
        return percent;
    }

    @Override
    public int compareTo(Odds other) {
        return decimal.compareTo(other.decimal);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Odds odds && decimal.compareTo(odds.decimal) == 0;
    }

    @Override
    public int hashCode() {
        return decimal.hashCode();
    }

    @Override
    public String toString() {
        return decimal.toPlainString();
    }
}
