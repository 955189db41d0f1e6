package pql.forecast.domain;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * A step of the calendar in UTC, as forecast histories and accuracy reviews walk it: a week is 7
 * days, a month a calendar month on the same day of the month (the 31st becomes the last day of a
 * shorter month), a quarter three of those.
 */
public enum CalendarStep {
    WEEK, MONTH, QUARTER;

    /** The instant one step after {@code start} (a month after Jan 31 is the end of February). */
    public long after(long startEpochMillis) {
        return plus(startEpochMillis, 1);
    }

    /**
     * The instant {@code steps} steps after {@code start}, counted from {@code start} itself: the
     * 31st comes back after a shorter month, where stepping one at a time would stay on the 28th.
     */
    public long plus(long startEpochMillis, int steps) {
        ZonedDateTime start = Instant.ofEpochMilli(startEpochMillis).atZone(ZoneOffset.UTC);
        ZonedDateTime at = switch (this) {
            case WEEK -> start.plusWeeks(steps);
            case MONTH -> start.plusMonths(steps);
            case QUARTER -> start.plusMonths(3L * steps);
        };
        return at.toInstant().toEpochMilli();
    }
}
