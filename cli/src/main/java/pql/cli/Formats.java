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
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import pql.common.api.EnumNames;
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

    /**
     * YAML or JSON text (either field-name style) into {@code builder}. Enum values may be written
     * in their short form as on the command line ({@code golden_lead}, {@code golden-lead}); an
     * unknown one is an error naming the field and listing the short forms.
     */
    static void parseYamlOrJson(String text, Message.Builder builder) throws IOException {
        JsonNode tree = YAML.readTree(text);
        if (tree == null || !tree.isObject()) {
            throw new IOException("expected a YAML or JSON object");
        }
        canonicalEnums((ObjectNode) tree, builder.getDescriptorForType(), "");
        JsonFormat.parser().merge(JSON.writeValueAsString(tree), builder);
    }

    /**
     * Rewrites the enum values of {@code node} (a message of {@code type}) written in a short form
     * to their proto names, in place. Fields it does not know are left for the parser to report.
     */
    private static void canonicalEnums(ObjectNode node, Descriptors.Descriptor type, String path) throws IOException {
        if (type.getFullName().startsWith("google.protobuf.")) {
            return; // well-known types have their own JSON forms
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> entry = fields.next();
            Descriptors.FieldDescriptor field = fieldNamed(type, entry.getKey());
            if (field == null) {
                continue;
            }
            String fieldPath = path.isEmpty() ? field.getName() : path + "." + field.getName();
            if (field.isMapField()) {
                Descriptors.FieldDescriptor value = field.getMessageType().findFieldByName("value");
                if (entry.getValue() instanceof ObjectNode map) {
                    for (Iterator<Map.Entry<String, JsonNode>> items = map.fields(); items.hasNext();) {
                        Map.Entry<String, JsonNode> item = items.next();
                        item.setValue(canonicalValue(item.getValue(), value, fieldPath + "[" + item.getKey() + "]"));
                    }
                }
            } else if (field.isRepeated() && entry.getValue() instanceof ArrayNode items) {
                for (int i = 0; i < items.size(); i++) {
                    items.set(i, canonicalValue(items.get(i), field, fieldPath + "[" + i + "]"));
                }
            } else {
                entry.setValue(canonicalValue(entry.getValue(), field, fieldPath));
            }
        }
    }

    private static JsonNode canonicalValue(JsonNode value, Descriptors.FieldDescriptor field, String path) throws IOException {
        if (field.getJavaType() == Descriptors.FieldDescriptor.JavaType.MESSAGE && value instanceof ObjectNode message) {
            canonicalEnums(message, field.getMessageType(), path);
            return value;
        }
        if (field.getJavaType() != Descriptors.FieldDescriptor.JavaType.ENUM || !value.isTextual()
                || field.getEnumType().getFullName().equals("google.protobuf.NullValue")) {
            return value;
        }
        Descriptors.EnumDescriptor type = field.getEnumType();
        if (type.findValueByName(value.textValue()) != null) {
            return value;
        }
        return TextNode.valueOf(EnumNames.find(type, value.textValue())
                .orElseThrow(() -> new IOException(EnumNames.unknown(type, value.textValue(), path))).getName());
    }

    private static Descriptors.FieldDescriptor fieldNamed(Descriptors.Descriptor type, String name) {
        Descriptors.FieldDescriptor field = type.findFieldByName(name);
        if (field != null) {
            return field;
        }
        for (Descriptors.FieldDescriptor candidate : type.getFields()) {
            if (candidate.getJsonName().equals(name)) {
                return candidate;
            }
        }
        return null;
    }
}
