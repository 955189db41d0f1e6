package pql.forecast.domain;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The expected close month of a trial: the month of its trial end in UTC, "YYYY-MM". A trial with
 * no end on record is {@value #UNSCHEDULED}, a group and filter value of its own, so it is never
 * silently dropped from a forecast nor pushed into a month it did not ask for.
 */
public final class CloseMonth {

    public static final String UNSCHEDULED = "unscheduled";
    private static final Pattern MONTH = Pattern.compile("\\d{4}-(0[1-9]|1[0-2])");
    /** Month strings are shared: a 100k-trial portfolio spans a few dozen months. */
    private static final ConcurrentHashMap<YearMonth, String> NAMES = new ConcurrentHashMap<>();

    private CloseMonth() {
    }

    /** @param trialEndEpochMillis null when the profile has no trial end */
    public static String of(Long trialEndEpochMillis) {
        if (trialEndEpochMillis == null) {
            return UNSCHEDULED;
        }
        YearMonth month = YearMonth.from(Instant.ofEpochMilli(trialEndEpochMillis).atZone(ZoneOffset.UTC));
        return NAMES.computeIfAbsent(month, CloseMonth::format);
    }

    private static String format(YearMonth month) {
        if (month.getYear() < 0 || month.getYear() > 9999) {
            return month.toString();
        }
        return String.format(java.util.Locale.ROOT, "%04d-%02d", month.getYear(), month.getMonthValue());
    }

    /** True for "YYYY-MM" (month 01..12) or {@value #UNSCHEDULED}. */
    public static boolean isValid(String value) {
        return UNSCHEDULED.equals(value) || MONTH.matcher(value).matches();
    }
}
