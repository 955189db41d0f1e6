package pql.cli;

import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import pql.v1.Event;
import pql.v1.Money;

/**
 * Events from CSV with a header row. Four columns are required:
 * {@code event_id, account_id, occurred_at, kind}; {@code kind} is the event's kind in snake case
 * ({@code product_action}, {@code account_profiled}, {@code user_identified}, {@code communication},
 * {@code sales_assistance_requested}, {@code plan_limit_reached}, {@code outcome}). Any other column
 * is a field of that kind by its proto name ({@code user_id}, {@code action}, {@code quantity},
 * {@code owner}, {@code direction}...), left unset when empty, so one file can mix kinds. Enums
 * take their short name ({@code mid}, {@code inbound}, {@code positive}); times are ISO-8601
 * ({@code 2025-03-01T10:00:00Z}) or dates; money fields ({@code deal_size}, {@code amount}) are
 * decimal currency units with the {@code currency} column (default USD); map entries are
 * {@code prop.<key>} (product_action properties) and {@code trait.<key>} (traits).
 * An outcome's kind is the column {@code outcome} (converted, lost, churned).
 */
final class CsvEventReader implements EventReader {

    private static final Set<String> BASE = Set.of("event_id", "account_id", "occurred_at", "kind");
    private static final Map<String, String> RENAMED = Map.of("outcome", "kind");

    private final Reader in;
    private final CsvRecords records;
    private final List<String> header;

    CsvEventReader(Reader in) throws IOException {
        this.in = in;
        this.records = new CsvRecords(in);
        List<String> names = records.next();
        if (names == null) {
            throw new IOException("the CSV file is empty: a header row is required");
        }
        this.header = names.stream().map(name -> name.trim().toLowerCase(Locale.ROOT)).toList();
        for (String required : BASE) {
            if (!header.contains(required)) {
                throw new IOException("the CSV header needs the column '" + required + "' (required: event_id, account_id, occurred_at, kind)");
            }
        }
    }

    @Override
    public EventLine next() throws IOException {
        List<String> cells = records.next();
        if (cells == null) {
            return null;
        }
        long line = records.recordLine();
        try {
            return EventLine.ok(line, toEvent(cells));
        } catch (IllegalArgumentException e) {
            return EventLine.bad(line, e.getMessage());
        }
    }

    private Event toEvent(List<String> cells) {
        if (cells.size() > header.size()) {
            throw new IllegalArgumentException("more cells (" + cells.size() + ") than header columns (" + header.size() + ")");
        }
        Event.Builder event = Event.newBuilder()
                .setEventId(cell(cells, "event_id"))
                .setAccountId(cell(cells, "account_id"));
        String occurred = cell(cells, "occurred_at");
        if (!occurred.isEmpty()) {
            event.setOccurredAt(timestamp("occurred_at", occurred));
        }
        String kind = cell(cells, "kind").toLowerCase(Locale.ROOT);
        FieldDescriptor kindField = Event.getDescriptor().findFieldByName(kind);
        if (kindField == null || kindField.getContainingOneof() == null) {
            throw new IllegalArgumentException("kind: unknown '" + kind + "'; one of " + kinds());
        }
        Message.Builder payload = event.newBuilderForField(kindField);
        String currency = header.contains("currency") && !cell(cells, "currency").isEmpty() ? cell(cells, "currency") : "USD";
        for (int i = 0; i < cells.size(); i++) {
            String column = header.get(i);
            String value = cells.get(i).trim();
            if (BASE.contains(column) || column.equals("currency") || value.isEmpty()) {
                continue;
            }
            set(payload, column, value, currency);
        }
        event.setField(kindField, payload.build());
        return event.build();
    }

    private static void set(Message.Builder payload, String column, String value, String currency) {
        int dot = column.indexOf('.');
        if (dot > 0) {
            String prefix = column.substring(0, dot);
            String mapName = prefix.equals("prop") ? "properties" : prefix.equals("trait") ? "traits" : null;
            FieldDescriptor map = mapName == null ? null : payload.getDescriptorForType().findFieldByName(mapName);
            if (map == null) {
                throw new IllegalArgumentException(column + ": not a field of " + payload.getDescriptorForType().getName());
            }
            Message.Builder entry = payload.newBuilderForField(map);
            entry.setField(entry.getDescriptorForType().findFieldByName("key"), column.substring(dot + 1));
            entry.setField(entry.getDescriptorForType().findFieldByName("value"), value);
            payload.addRepeatedField(map, entry.build());
            return;
        }
        FieldDescriptor field = payload.getDescriptorForType().findFieldByName(RENAMED.getOrDefault(column, column));
        if (field == null) {
            throw new IllegalArgumentException(column + ": not a field of " + payload.getDescriptorForType().getName());
        }
        payload.setField(field, convert(column, field, value, currency));
    }

    private static Object convert(String column, FieldDescriptor field, String value, String currency) {
        try {
            return switch (field.getJavaType()) {
                case STRING -> value;
                case DOUBLE -> Double.parseDouble(value);
                case FLOAT -> Float.parseFloat(value);
                case INT -> Integer.parseInt(value);
                case LONG -> Long.parseLong(value);
                case BOOLEAN -> bool(column, value);
                case ENUM -> enumValue(column, field, value);
                case MESSAGE -> message(column, field, value, currency);
                default -> throw new IllegalArgumentException(column + ": unsupported column type");
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(column + ": not a number: '" + value + "'");
        }
    }

    private static Object message(String column, FieldDescriptor field, String value, String currency) {
        String type = field.getMessageType().getFullName();
        if (type.equals(Timestamp.getDescriptor().getFullName())) {
            return timestamp(column, value);
        }
        if (type.equals(Money.getDescriptor().getFullName())) {
            BigDecimal units = new BigDecimal(value);
            try {
                return Money.newBuilder().setCurrency(currency)
                        .setAmountMicros(units.movePointRight(6).setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact())
                        .build();
            } catch (ArithmeticException e) {
                // a number, but no int64 of micros holds it (1e30): this line's error, not the whole file's
                throw new IllegalArgumentException(column + ": out of range: '" + value + "'");
            }
        }
        throw new IllegalArgumentException(column + ": unsupported column type " + type);
    }

    private static boolean bool(String column, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException(column + ": expected true or false, got '" + value + "'");
        };
    }

    private static EnumValueDescriptor enumValue(String column, FieldDescriptor field, String value) {
        String wanted = value.toUpperCase(Locale.ROOT).replace('-', '_');
        List<String> known = new ArrayList<>();
        String prefix = commonPrefix(field);
        for (EnumValueDescriptor candidate : field.getEnumType().getValues()) {
            if (candidate.getNumber() == 0) {
                continue;
            }
            if (candidate.getName().equals(wanted) || candidate.getName().equals(prefix + wanted)) {
                return candidate;
            }
            known.add(candidate.getName().substring(prefix.length()).toLowerCase(Locale.ROOT));
        }
        throw new IllegalArgumentException(column + ": unknown '" + value + "'; one of " + String.join(", ", known));
    }

    /** "OPPORTUNITY_SIZE_" for OpportunitySize: the enum's name in upper snake case. */
    private static String commonPrefix(FieldDescriptor field) {
        String name = field.getEnumType().getName();
        return name.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT) + "_";
    }

    static Timestamp timestamp(String column, String value) {
        try {
            Instant instant = value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(value);
            return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(column + ": not an ISO-8601 time: '" + value + "'");
        }
    }

    private String cell(List<String> cells, String column) {
        int index = header.indexOf(column);
        return index < cells.size() ? cells.get(index).trim() : "";
    }

    private static String kinds() {
        return String.join(", ", Event.getDescriptor().getOneofs().get(0).getFields().stream().map(FieldDescriptor::getName).toList());
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
