package pql.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import pql.v1.Money;

/** Printing and reading API messages for people: money, enums, times, JSON and YAML. */
final class Formats {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .disable(YAMLGenerator.Feature.SPLIT_LINES));
    private static final ObjectMapper JSON = new ObjectMapper();

    private Formats() {
    }

    static String money(Money money) {
        if (money == null || money.getCurrency().isEmpty() && money.getAmountMicros() == 0) {
            return "-";
        }
        // a total beyond an int64 of micros comes as exact_amount, in currency units
        BigDecimal exact = money.getExactAmount().isEmpty() ? BigDecimal.valueOf(money.getAmountMicros(), 6)
                : new BigDecimal(money.getExactAmount());
        BigDecimal units = exact.setScale(0, java.math.RoundingMode.HALF_EVEN);
        return String.format(Locale.ROOT, "%,d %s", units.toBigInteger(), money.getCurrency());
    }

    static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.0f%%", ratio * 100);
    }

    /** PERSONA_GOLDEN_LEAD → golden_lead. */
    static String enumName(Enum<?> value, String prefix) {
        String name = value.name();
        if (name.endsWith("_UNSPECIFIED") || name.equals("UNRECOGNIZED")) {
            return "-";
        }
        return (name.startsWith(prefix) ? name.substring(prefix.length()) : name).toLowerCase(Locale.ROOT);
    }

    static String time(Timestamp timestamp) {
        if (timestamp == null || timestamp.getSeconds() == 0 && timestamp.getNanos() == 0) {
            return "-";
        }
        return Instant.ofEpochSecond(timestamp.getSeconds()).toString();
    }

    static Timestamp parseTime(String value) {
        Instant instant = value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(value);
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    static String json(Message message) {
        try {
            return JsonFormat.printer().print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A message as YAML with the proto field names, e.g. to edit a definition and publish it. */
    static String yaml(Message message) {
        try {
            String json = JsonFormat.printer().preservingProtoFieldNames().print(message);
            return YAML.writeValueAsString(JSON.readTree(json));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** YAML or JSON text (either field-name style) into {@code builder}. */
    static void parseYamlOrJson(String text, Message.Builder builder) throws IOException {
        JsonNode tree = YAML.readTree(text);
        if (tree == null || !tree.isObject()) {
            throw new IOException("expected a YAML or JSON object");
        }
        JsonFormat.parser().merge(JSON.writeValueAsString(tree), builder);
    }
}
