package pql.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.google.protobuf.Descriptors;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
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

    /** Micros as currency units with grouping: 10000000000 -> "10,000", 2500000 -> "2.5". */
    static String units(long micros) {
        BigDecimal units = BigDecimal.valueOf(micros, 6).stripTrailingZeros();
        return units.scale() <= 0 ? String.format(Locale.ROOT, "%,d", units.toBigInteger())
                : String.format(Locale.ROOT, "%,." + units.scale() + "f", units);
    }

    private static void amountsInUnits(ObjectNode node, Descriptors.Descriptor type) {
        if (type.getFullName().startsWith("google.protobuf.")) {
            return;
        }
        for (Descriptors.FieldDescriptor field : type.getFields()) {
            JsonNode value = node.get(field.getName());
            if (value == null) {
                continue;
            }
            if (field.getJavaType() == Descriptors.FieldDescriptor.JavaType.MESSAGE && !field.isMapField()) {
                if (value instanceof ObjectNode child) {
                    amountsInUnits(child, field.getMessageType());
                } else if (value instanceof ArrayNode items) {
                    items.forEach(item -> {
                        if (item instanceof ObjectNode child) {
                            amountsInUnits(child, field.getMessageType());
                        }
                    });
                }
            } else if (!field.isRepeated() && field.getJavaType() == Descriptors.FieldDescriptor.JavaType.LONG
                    && field.getName().endsWith(MessageFileReader.MICROS_SUFFIX)) {
                String units = field.getName().substring(0, field.getName().length() - MessageFileReader.MICROS_SUFFIX.length());
                ObjectNode reordered = node.objectNode();
                node.fields().forEachRemaining(entry -> reordered.set(entry.getKey().equals(field.getName()) ? units : entry.getKey(),
                        entry.getKey().equals(field.getName()) ? TextNode.valueOf(units(value.asLong())) : entry.getValue()));
                node.removeAll();
                node.setAll(reordered);
            }
        }
    }

    static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    static String time(Timestamp timestamp) {
        if (timestamp == null || timestamp.getSeconds() == 0 && timestamp.getNanos() == 0) {
            return "-";
        }
        return Instant.ofEpochSecond(timestamp.getSeconds()).toString();
    }

    static String json(Message message) {
        try {
            return JsonFormat.printer().print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A message as YAML with the proto field names, e.g. to edit a definition and publish it; an int64
     * {@code x_micros} is printed as {@code x} in currency units ("10,000"), as {@link #parseYamlOrJson} reads it.
     */
    static String yaml(Message message) {
        try {
            String json = JsonFormat.printer().preservingProtoFieldNames().print(message);
            JsonNode tree = JSON.readTree(json);
            if (tree instanceof ObjectNode object) {
                amountsInUnits(object, message.getDescriptorForType());
            }
            return YAML.writeValueAsString(tree);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * YAML or JSON text (either field-name style) into {@code builder}. Enum values may be written
     * in their short form as on the command line ({@code golden_lead}, {@code golden-lead}); an int64
     * {@code x_micros} field may be written as {@code x} in currency units ({@code 10,000 USD}). Bad
     * input of any kind throws {@link DefinitionFileException} (an IOException) listing every problem
     * with its line and column; no other exception.
     */
    static void parseYamlOrJson(String text, Message.Builder builder) throws IOException {
        MessageFileReader.read(text, builder);
    }
}
