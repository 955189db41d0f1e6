package pql.scoring.domain.discovery;

import java.util.Arrays;

/**
 * When one account did one action before its trial closed, with the quantity each time (a single
 * event may count several, like scoring's checklist and triggers count them).
 */
public final class ActionTimeline {

    private static final long DAY_MILLIS = 86_400_000L;

    private final long[] times;
    private final double[] quantities;
    /** All the quantities: no window can hold more. */
    private final double total;

    /** @param times event times in epoch millis, any order; {@code quantities} at the same index */
    public ActionTimeline(long[] times, double[] quantities) {
        if (times.length != quantities.length) {
            throw new IllegalArgumentException("one quantity per time");
        }
        if (isSorted(times)) {
            this.times = times.clone();
            this.quantities = quantities.clone();
            this.total = sum(quantities);
            return;
        }
        Integer[] order = new Integer[times.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Long.compare(times[a], times[b]));
        this.times = new long[times.length];
        this.quantities = new double[times.length];
        for (int i = 0; i < order.length; i++) {
            this.times[i] = times[order[i]];
            this.quantities[i] = quantities[order[i]];
        }
        this.total = sum(quantities);
    }

    private static boolean isSorted(long[] times) {
        for (int i = 1; i < times.length; i++) {
            if (times[i] < times[i - 1]) {
                return false;
            }
        }
        return true;
    }

    private static double sum(double[] quantities) {
        double total = 0;
        for (double quantity : quantities) {
            total += quantity;
        }
        return total;
    }

    /**
     * Whether the action reached {@code minCount} in total ({@code withinDays} 0) or inside some
     * span shorter than {@code withinDays} days.
     */
    public boolean reaches(double minCount, int withinDays) {
        if (withinDays == 0 || total < minCount) {
            return total >= minCount;
        }
        long window = withinDays * DAY_MILLIS;
        double inWindow = 0;
        int first = 0;
        for (int last = 0; last < times.length; last++) {
            inWindow += quantities[last];
            while (times[last] - times[first] >= window) {
                inWindow -= quantities[first++];
            }
            if (inWindow >= minCount) {
                return true;
            }
        }
        return false;
    }
}
