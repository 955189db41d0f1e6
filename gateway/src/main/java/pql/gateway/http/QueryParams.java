package pql.gateway.http;

import com.google.protobuf.Descriptors;
import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.IntFunction;
import pql.common.api.EnumNames;
import pql.common.grpc.FieldViolations;

/**
 * Reads query parameters into API values, collecting every problem as a field violation named
 * after the parameter (so a bad query gets the same 400 body as a bad gRPC request).
 */
final class QueryParams {

    private final FieldViolations violations = new FieldViolations();

    /** {@code kind=a&kind=b} and {@code kind=a,b} alike; blanks dropped. */
    static List<String> values(List<String> raw) {
        List<String> values = new ArrayList<>();
        if (raw != null) {
            for (String item : raw) {
                for (String part : item.split(",")) {
                    if (!part.isBlank()) {
                        values.add(part.trim());
                    }
                }
            }
        }
        return values;
    }

    int integer(String name, String raw, int defaultValue, int min, int max) {
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(raw.trim());
            if (value < min || value > max) {
                violations.add(name, "must be between " + min + " and " + max);
                return defaultValue;
            }
            return value;
        } catch (NumberFormatException e) {
            violations.add(name, "must be an integer");
            return defaultValue;
        }
    }

    boolean bool(String name, String raw) {
        if (raw == null || raw.isBlank()) {
            return false;
        }
        return switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> {
                violations.add(name, "must be true or false");
                yield false;
            }
        };
    }

    /** {@link #timestamp(String, String)} handed to {@code setter} when present (request fields without a default). */
    void timestamp(String name, String raw, java.util.function.Consumer<Timestamp> setter) {
        Timestamp parsed = timestamp(name, raw);
        if (parsed != null) {
            setter.accept(parsed);
        }
    }

    /** An ISO-8601 instant ({@code 2025-03-01T12:00:00Z}) or a date (midnight UTC); null when absent. */
    Timestamp timestamp(String name, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String text = raw.trim();
        try {
            Instant instant = text.length() == 10
                    ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(text);
            return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
        } catch (DateTimeParseException e) {
            violations.add(name, "must be an ISO-8601 instant such as 2025-03-01T12:00:00Z, or a date such as 2025-03-01");
            return null;
        }
    }

    /** {@link #enumValue} handed to {@code setter} when present. */
    <E> void enumValue(String name, String raw, Descriptors.EnumDescriptor type, IntFunction<E> forNumber,
            java.util.function.Consumer<E> setter) {
        E parsed = enumValue(name, raw, type, forNumber);
        if (parsed != null) {
            setter.accept(parsed);
        }
    }

    /**
     * A proto enum value by name, case-insensitive, with or without its prefix: {@code golden_lead},
     * {@code GOLDEN_LEAD} and {@code PERSONA_GOLDEN_LEAD} all name the same persona.
     */
    <E> List<E> enums(String name, List<String> raw, Descriptors.EnumDescriptor type, IntFunction<E> forNumber) {
        List<E> result = new ArrayList<>();
        for (String value : values(raw)) {
            E parsed = enumValue(name, value, type, forNumber);
            if (parsed != null) {
                result.add(parsed);
            }
        }
        return result;
    }

    <E> E enumValue(String name, String raw, Descriptors.EnumDescriptor type, IntFunction<E> forNumber) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        // the short forms the CLI and definition files take too; orders read naturally without their
        // direction: order_by=engagement means ..._DESC
        Optional<Descriptors.EnumValueDescriptor> value = EnumNames.find(type, raw)
                .or(() -> EnumNames.find(type, raw.trim() + "_DESC"));
        if (value.isPresent()) {
            return forNumber.apply(value.get().getNumber());
        }
        violations.add(name, EnumNames.unknownValue(type, raw));
        return null;
    }

    void add(String name, String description) {
        violations.add(name, description);
    }

    /** Throws INVALID_ARGUMENT (HTTP 400) with every violation collected. */
    void throwIfInvalid() {
        violations.throwIfAny("invalid query parameters");
    }
}
