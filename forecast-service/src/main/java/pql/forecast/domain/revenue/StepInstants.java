package pql.forecast.domain.revenue;

import java.util.ArrayList;
import java.util.List;
import pql.forecast.domain.CalendarStep;

/**
 * The instants of a history: {@code from}, then every step after it up to {@code to}, each counted
 * from {@code from} ({@link CalendarStep#plus}), so a month's shortening never accumulates.
 */
public final class StepInstants {

    private StepInstants() {
    }

    /** Null when there would be more than {@code max} instants. */
    public static List<Long> between(long fromMillis, long toMillis, CalendarStep step, int max) {
        List<Long> instants = new ArrayList<>();
        for (int n = 0; ; n++) {
            long millis = step.plus(fromMillis, n);
            if (millis > toMillis) {
                return instants;
            }
            if (instants.size() == max) {
                return null;
            }
            instants.add(millis);
        }
    }
}
