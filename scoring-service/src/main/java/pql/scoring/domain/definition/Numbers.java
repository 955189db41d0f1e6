package pql.scoring.domain.definition;

import java.math.BigDecimal;
import java.util.Locale;

/** Formatting of numbers in explanations and messages: no exponent, no trailing zeros. */
public final class Numbers {

    private Numbers() {
    }

    public static String plain(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.toString(value);
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /** One decimal, e.g. 123.4. */
    public static String oneDecimal(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    /** A ratio as a whole percentage, e.g. 0.667 -> "67%". */
    public static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.0f%%", ratio * 100);
    }
}
