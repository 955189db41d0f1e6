package pql.forecast.domain.accuracy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/** How long the periods of a forecast accuracy review are, in UTC calendar arithmetic. */
public enum AccuracyStep {
    WEEK, MONTH, QUARTER;

    /** The instant one step after {@code start} (a month after Jan 31 is the end of February). */
    public long after(long startEpochMillis) {
        ZonedDateTime start = Instant.ofEpochMilli(startEpochMillis).atZone(ZoneOffset.UTC);
        ZonedDateTime next = switch (this) {
            case WEEK -> start.plusWeeks(1);
            case MONTH -> start.plusMonths(1);
            case QUARTER -> start.plusMonths(3);
        };
        return next.toInstant().toEpochMilli();
    }
}
