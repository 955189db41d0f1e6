package pql.forecast.domain.revenue;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The instants of a history: {@code from}, then every step after it up to {@code to}. Weeks are 7
 * days; months are calendar months in UTC on the same day of the month (the 31st becomes the last
 * day of a shorter month, and the next step goes back to the 31st: each step counts from
 * {@code from}, so errors never accumulate).
 */
public final class StepInstants {

    public enum Step { WEEK, MONTH }

    private StepInstants() {
    }

    /** Null when there would be more than {@code max} instants. */
    public static List<Long> between(long fromMillis, long toMillis, Step step, int max) {
        ZonedDateTime start = Instant.ofEpochMilli(fromMillis).atZone(ZoneOffset.UTC);
        List<Long> instants = new ArrayList<>();
        for (int n = 0; ; n++) {
            ZonedDateTime at = step == Step.WEEK ? start.plusWeeks(n) : start.plusMonths(n);
            long millis = at.toInstant().toEpochMilli();
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
