package pql.ingest.validation;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;
import java.time.Instant;

/**
 * The limits of the public API as its proto comments state them (events.proto, ingest.proto).
 * One place, so the validator, the batch checks and the documentation agree.
 */
public final class EventLimits {

    /** event_id and account_id: 1..128 characters of {@link #ID_CHARACTERS}. */
    public static final int MAX_ID_LENGTH = 128;
    public static final String ID_CHARACTERS = "[A-Za-z0-9._:@/-]";
    /** user ids, action names, plan limit names. */
    public static final int MAX_KEY_LENGTH = 128;
    /** ProductAction.action: 1..128 characters of {@link #ACTION_CHARACTERS}. */
    public static final String ACTION_CHARACTERS = "[A-Za-z0-9_.:/-]";
    /** Account name, owner, e-mail. */
    public static final int MAX_NAME_LENGTH = 200;
    /** Sales assistance note, outcome reason. */
    public static final int MAX_TEXT_LENGTH = 2_000;
    /** traits and properties maps. */
    public static final int MAX_MAP_ENTRIES = 64;
    public static final int MAX_MAP_KEY_LENGTH = 128;
    /** UTF-8 bytes of every key and value of one traits / properties map together. */
    public static final int MAX_MAP_BYTES = 32 * 1024;

    /**
     * Money of one event (a deal size, an outcome's amount): at most 10^12 currency units. Far above
     * any real contract, and small enough that every sum the forecast makes is exact whatever it
     * adds up (totals are computed in 128 bits or more, never wrapped).
     */
    public static final long MAX_MONEY_MICROS = 1_000_000_000_000_000_000L;
    /**
     * ProductAction.quantity: at most 10^9 per event (a count, or an amount in the action's own
     * unit). Times a definition's largest weight (10^6) an event is worth at most 10^15 points, so
     * engagement, a sum of them, stays finite.
     */
    public static final double MAX_QUANTITY = 1e9;
    /** PlanLimitReached.usage and limit_value: at most 10^15 (exact integers in a double). */
    public static final double MAX_PLAN_USAGE = 1e15;

    /**
     * ExchangeRate.rate: a plain decimal of 1 to 7 integer digits and at most 12 decimal places,
     * in (0, 10^6]. Exact (the forecast multiplies it as a decimal, never as a double); 12 places
     * keep a rate such as 1 VND in USD (0.000038...) to 8 significant digits.
     */
    public static final BigDecimal MAX_EXCHANGE_RATE = BigDecimal.valueOf(1_000_000);
    public static final int MAX_RATE_SCALE = 12;
    private static final Pattern RATE = Pattern.compile("[0-9]{1,7}(\\.[0-9]{1," + MAX_RATE_SCALE + "})?");
    /** ExchangeRate.effective_date: YYYY-MM-DD from this day to 9999-12-31. */
    public static final LocalDate EARLIEST_RATE_DATE = LocalDate.of(2000, 1, 1);
    private static final Pattern DAY = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

    /** Nothing in the product predates 2000; older timestamps are client bugs (often 1970). */
    public static final Instant EARLIEST_OCCURRED_AT = Instant.parse("2000-01-01T00:00:00Z");
    /** Clock skew allowed between the client and the server. */
    public static final Duration MAX_FUTURE_SKEW = Duration.ofMinutes(5);

    /** One IngestBatch call or IngestStream chunk. */
    public static final int MAX_BATCH_EVENTS = 2_000;
    public static final int MAX_BATCH_BYTES = 1024 * 1024;

    private EventLimits() {
    }

    /** Why {@code rate} is not a valid ExchangeRate.rate, or null when it is. */
    public static String exchangeRateProblem(String rate) {
        if (!RATE.matcher(rate).matches()) {
            return "a plain decimal of 1 to 7 integer digits and at most " + MAX_RATE_SCALE + " decimal places, e.g. 1.08";
        }
        BigDecimal value = new BigDecimal(rate);
        if (value.signum() <= 0) {
            return "must be greater than 0";
        }
        if (value.compareTo(MAX_EXCHANGE_RATE) > 0) {
            return "at most " + MAX_EXCHANGE_RATE;
        }
        return null;
    }

    /** True for a real day YYYY-MM-DD not before {@link #EARLIEST_RATE_DATE}. */
    public static boolean isEffectiveDate(String day) {
        if (!DAY.matcher(day).matches()) {
            return false;
        }
        try {
            return !LocalDate.parse(day).isBefore(EARLIEST_RATE_DATE);
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
