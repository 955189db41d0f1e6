package pql.scoring.alerts;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** HTTP {@code Retry-After}: delta-seconds or an HTTP-date (RFC 9110 10.2.3). */
public final class RetryAfter {

    /** A receiver asking for more than this is taken at this (a day: parking decides the rest). */
    static final Duration MAX = Duration.ofDays(1);

    private RetryAfter() {
    }

    /** How long the receiver asked to wait, from {@code nowMillis}; empty when absent or unreadable. */
    public static Optional<Duration> parse(String header, long nowMillis) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.trim();
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? Optional.empty() : Optional.of(min(Duration.ofSeconds(Math.min(seconds, MAX.toSeconds()))));
        } catch (NumberFormatException notSeconds) {
            try {
                long at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
                return Optional.of(min(Duration.ofMillis(Math.max(0, at - nowMillis))));
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    private static Duration min(Duration duration) {
        return duration.compareTo(MAX) > 0 ? MAX : duration;
    }
}
