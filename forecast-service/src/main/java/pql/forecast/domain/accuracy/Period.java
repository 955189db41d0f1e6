package pql.forecast.domain.accuracy;

import java.util.ArrayList;
import java.util.List;
import pql.forecast.domain.CalendarStep;

/** One period of an accuracy review, [start, end) in epoch ms. */
public record Period(long startEpochMillis, long endEpochMillis) {

    public Period {
        if (startEpochMillis >= endEpochMillis) {
            throw new IllegalArgumentException("a period must end after it starts");
        }
    }

    public boolean contains(long epochMillis) {
        return startEpochMillis <= epochMillis && epochMillis < endEpochMillis;
    }

    /**
     * [from, to) cut into steps, each starting where the previous ended, the last cut short at
     * {@code to}; stops counting after {@code limit} + 1 periods so a caller can refuse a range too long
     * without building it whole.
     */
    public static List<Period> split(long fromEpochMillis, long toEpochMillis, CalendarStep step, int limit) {
        List<Period> periods = new ArrayList<>();
        long start = fromEpochMillis;
        while (start < toEpochMillis && periods.size() <= limit) {
            long end = Math.min(step.after(start), toEpochMillis);
            periods.add(new Period(start, end));
            start = end;
        }
        return periods;
    }
}
