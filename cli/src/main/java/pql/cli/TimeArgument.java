package pql.cli;

import com.google.protobuf.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * The instants of --as-of and --known-at, as people write them: an ISO date (the start of that
 * day, UTC), an ISO instant, {@code now}, {@code today} and {@code yesterday} (the start of that
 * day, UTC), or an age: {@code 7d}, {@code 12h}, {@code 30m}, {@code 2w} (now minus that much).
 * Anything else is a usage error naming the accepted forms.
 */
final class TimeArgument implements CommandLine.ITypeConverter<Timestamp> {

    static final String FORMS = "use a date (2025-03-01, start of day UTC), an instant (2025-03-01T12:00:00Z), "
            + "now, today, yesterday, or an age such as 7d, 12h, 30m, 2w";

    private static final Pattern AGE = Pattern.compile("(\\d{1,6})([wdhm])");

    private final Clock clock;

    TimeArgument() {
        this(Clock.systemUTC());
    }

    TimeArgument(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Timestamp convert(String value) {
        Instant instant = parse(value);
        if (instant == null) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a date or instant: " + FORMS);
        }
        return Formats.timestamp(instant);
    }

    /** {@code 7d}, {@code 12h}, {@code 30m}, {@code 2w} as a duration; null for anything else. */
    static Duration age(String value) {
        Matcher age = AGE.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!age.matches()) {
            return null;
        }
        long amount = Long.parseLong(age.group(1));
        return switch (age.group(2)) {
            case "w" -> Duration.ofDays(7 * amount);
            case "d" -> Duration.ofDays(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofMinutes(amount);
        };
    }

    /** The instant, or null when {@code value} is none of the accepted forms. */
    Instant parse(String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        Instant now = clock.instant();
        switch (text) {
            case "now":
                return now;
            case "today":
                return now.truncatedTo(ChronoUnit.DAYS);
            case "yesterday":
                return now.truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(1));
            default:
                break;
        }
        Duration age = age(text);
        if (age != null) {
            return now.minus(age);
        }
        try {
            return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
