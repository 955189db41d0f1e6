package pql.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import pql.common.api.EnumNames;
import pql.common.api.NameSuggestions;

/**
 * Reads YAML or JSON into a protobuf message for people: every problem at once, each with its line and
 * column, an unknown field with a "did you mean", an enum value in its short form or the list of valid
 * ones, a wrong type named as such. Amounts: an int64 field {@code x_micros} may be written as {@code x}
 * in currency units ({@code 10000}, {@code 10,000}, {@code 10,000 USD}); micros stay on the wire.
 *
 * <p>The walk checks what it knows from the descriptor and leaves the rest to protobuf's JsonFormat,
 * whose own message (without a line) is the fallback.
 */
final class MessageFileReader {

    static final String MICROS_SUFFIX = "_micros";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern AMOUNT = Pattern.compile("(\\d{1,3}(?:,\\d{3})+|\\d+)(\\.\\d{1,6})?(?:\\s*([A-Za-z]{3}))?");

    /** Where each field name starts, and where each value starts, by JSON pointer. */
    private final Map<String, JsonLocation> names = new HashMap<>();
    private final Map<String, JsonLocation> values = new HashMap<>();
    private final List<DefinitionFileException.Problem> problems = new ArrayList<>();
    private String currency;
    private String currencyPath;

    private MessageFileReader() {
    }

    /** Merges {@code text} into {@code builder}; {@link DefinitionFileException} listing every problem. */
    static void read(String text, Message.Builder builder) throws DefinitionFileException {
        new MessageFileReader().readInto(text, builder);
    }

    private void readInto(String text, Message.Builder builder) throws DefinitionFileException {
        JsonNode tree;
        try {
            recordLocations(text);
            tree = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new DefinitionFileException(List.of(new DefinitionFileException.Problem(at == null ? 0 : at.getLineNr(),
                    at == null ? 0 : at.getColumnNr(), "", "not valid YAML or JSON: " + firstLines(e.getOriginalMessage()))));
        } catch (IOException | RuntimeException e) {
            throw new DefinitionFileException(List.of(new DefinitionFileException.Problem(0, 0, "",
                    "not valid YAML or JSON: " + e.getMessage())));
        }
        if (tree == null || !tree.isObject()) {
            throw new DefinitionFileException(List.of(new DefinitionFileException.Problem(0, 0, "",
                    "expected a YAML or JSON object")));
        }
        walkMessage((ObjectNode) tree, builder.getDescriptorForType(), "", "");
        if (!problems.isEmpty()) {
            problems.sort(Comparator.comparingInt(DefinitionFileException.Problem::line)
                    .thenComparingInt(DefinitionFileException.Problem::column));
            throw new DefinitionFileException(problems);
        }
        try {
            JsonFormat.parser().merge(JSON.writeValueAsString(tree), builder);
        } catch (IOException | RuntimeException e) {
            throw new DefinitionFileException(List.of(new DefinitionFileException.Problem(0, 0, "", String.valueOf(e.getMessage()))));
        }
    }

    /** SnakeYAML's message without its "in 'reader'" marks and snippets: "while parsing ...; expected ...". */
    private static String firstLines(String message) {
        if (message == null) {
            return "";
        }
        return String.join("; ", message.lines().filter(line -> !line.isBlank() && !Character.isWhitespace(line.charAt(0)))
                .toList());
    }

    /** Where each field name and value starts, by JSON pointer ("/pql/mid_threshold", "/persona_odds/1"). */
    private void recordLocations(String text) throws IOException {
        try (JsonParser parser = YAML.getFactory().createParser(text)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                    continue;
                }
                String pointer;
                if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                    pointer = parser.getParsingContext().getParent() == null ? ""
                            : parser.getParsingContext().getParent().pathAsPointer().toString();
                } else {
                    pointer = parser.getParsingContext().pathAsPointer().toString();
                }
                (token == JsonToken.FIELD_NAME ? names : values).putIfAbsent(pointer, parser.currentTokenLocation());
            }
        }
    }

    /** A problem with the value at {@code pointer} (located at the value). */
    private void problem(String pointer, String path, String message) {
        located(values.getOrDefault(pointer, names.get(pointer)), path, message);
    }

    /** A problem with the field name at {@code pointer} (an unknown field). */
    private void nameProblem(String pointer, String path, String message) {
        located(names.getOrDefault(pointer, values.get(pointer)), path, message);
    }

    private void located(JsonLocation at, String path, String message) {
        problems.add(new DefinitionFileException.Problem(at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(),
                path, message));
    }

    private void walkMessage(ObjectNode node, Descriptors.Descriptor type, String pointer, String path) {
        if (type.getFullName().startsWith("google.protobuf.")) {
            return; // well-known types have their own JSON forms
        }
        Map<String, JsonNode> renamed = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> entry = fields.next();
            String key = entry.getKey();
            String fieldPointer = pointer + "/" + escape(key);
            String fieldPath = path.isEmpty() ? key : path + "." + key;
            FieldDescriptor field = fieldNamed(type, key);
            if (field == null) {
                FieldDescriptor micros = fieldNamed(type, key + MICROS_SUFFIX);
                if (micros == null) {
                    micros = fieldNamed(type, key + "Micros");
                }
                if (micros != null && micros.getJavaType() == FieldDescriptor.JavaType.LONG && !micros.isRepeated()) {
                    Long value = amount(entry.getValue(), fieldPointer, fieldPath);
                    fields.remove();
                    if (value != null) {
                        renamed.put(micros.getName(), LongNode.valueOf(value));
                    }
                } else {
                    nameProblem(fieldPointer, fieldPath, "unknown field" + didYouMean(type, key));
                }
                continue;
            }
            JsonNode value = entry.getValue();
            if (value == null || value.isNull()) {
                continue;
            }
            if (field.isMapField()) {
                if (!(value instanceof ObjectNode map)) {
                    problem(fieldPointer, fieldPath, "expected a mapping of key: value");
                    continue;
                }
                FieldDescriptor valueField = field.getMessageType().findFieldByName("value");
                for (Iterator<Map.Entry<String, JsonNode>> items = map.fields(); items.hasNext();) {
                    Map.Entry<String, JsonNode> item = items.next();
                    item.setValue(checkValue(item.getValue(), valueField, fieldPointer + "/" + escape(item.getKey()),
                            fieldPath + "[" + item.getKey() + "]"));
                }
            } else if (field.isRepeated()) {
                if (!(value instanceof ArrayNode items)) {
                    problem(fieldPointer, fieldPath, "expected a list (- item per line, or [a, b])");
                    continue;
                }
                for (int i = 0; i < items.size(); i++) {
                    items.set(i, checkValue(items.get(i), field, fieldPointer + "/" + i, fieldPath + "[" + i + "]"));
                }
            } else {
                entry.setValue(checkValue(value, field, fieldPointer, fieldPath));
            }
        }
        renamed.forEach(node::set);
    }

    /** The value to give JsonFormat (enum short forms made canonical); records a problem when it is wrong. */
    private JsonNode checkValue(JsonNode value, FieldDescriptor field, String pointer, String path) {
        if (value == null || value.isNull()) {
            return value;
        }
        switch (field.getJavaType()) {
            case MESSAGE -> {
                if (field.getMessageType().getFullName().startsWith("google.protobuf.")) {
                    return value;
                }
                if (value instanceof ObjectNode message) {
                    walkMessage(message, field.getMessageType(), pointer, path);
                } else {
                    problem(pointer, path, "expected a mapping (field: value), was " + shown(value));
                }
            }
            case ENUM -> {
                Descriptors.EnumDescriptor type = field.getEnumType();
                if (value.isIntegralNumber() && type.findValueByNumber(value.intValue()) != null
                        || type.getFullName().equals("google.protobuf.NullValue")) {
                    return value;
                }
                if (value.isTextual()) {
                    if (type.findValueByName(value.textValue()) != null) {
                        return value;
                    }
                    var found = EnumNames.find(type, value.textValue());
                    if (found.isPresent()) {
                        return TextNode.valueOf(found.get().getName());
                    }
                }
                problem(pointer, path, EnumNames.unknownValue(type, value.isValueNode() ? value.asText() : shown(value)));
            }
            case BOOLEAN -> {
                if (!value.isBoolean() && !(value.isTextual() && value.textValue().matches("true|false"))) {
                    problem(pointer, path, "expected true or false, was " + shown(value));
                }
            }
            case INT, LONG -> {
                boolean isInt = field.getJavaType() == FieldDescriptor.JavaType.INT;
                BigDecimal number = number(value);
                if (number == null || number.stripTrailingZeros().scale() > 0) {
                    problem(pointer, path, "expected a whole number, was " + shown(value));
                } else if (number.compareTo(BigDecimal.valueOf(isInt ? Integer.MIN_VALUE : Long.MIN_VALUE)) < 0
                        || number.compareTo(BigDecimal.valueOf(isInt ? Integer.MAX_VALUE : Long.MAX_VALUE)) > 0) {
                    problem(pointer, path, "out of range for a " + (isInt ? "32" : "64") + "-bit whole number: " + shown(value));
                }
            }
            case FLOAT, DOUBLE -> {
                if (number(value) == null && !(value.isTextual() && value.textValue().matches("NaN|-?Infinity"))) {
                    problem(pointer, path, "expected a number, was " + shown(value));
                }
            }
            case STRING -> {
                if (!value.isValueNode()) {
                    problem(pointer, path, "expected text, was " + shown(value));
                } else if (!value.isTextual()) {
                    return TextNode.valueOf(value.asText()); // name: 2 means the text "2"
                }
            }
            default -> {
                return value;
            }
        }
        return value;
    }

    /** Currency units to micros: 10000, 10000.5, "10,000", "10,000 USD"; null after recording a problem. */
    private Long amount(JsonNode value, String pointer, String path) {
        BigDecimal units = null;
        if (value != null && value.isNumber()) {
            units = number(value);
        } else if (value != null && value.isTextual()) {
            Matcher matcher = AMOUNT.matcher(value.textValue().strip());
            if (matcher.matches()) {
                units = new BigDecimal(matcher.group(1).replace(",", "") + (matcher.group(2) == null ? "" : matcher.group(2)));
                String code = matcher.group(3);
                if (code != null && !knownCurrency(code, pointer, path)) {
                    return null;
                }
            }
        }
        if (units == null) {
            problem(pointer, path, "expected an amount in currency units such as 10000, 10,000 or 10,000 USD, was "
                    + (value == null ? "nothing" : shown(value)));
            return null;
        }
        if (units.signum() < 0) {
            problem(pointer, path, "must not be negative, was " + shown(value));
            return null;
        }
        try {
            return units.movePointRight(6).longValueExact();
        } catch (ArithmeticException e) {
            problem(pointer, path, "too large or too precise (at most 6 decimals), was " + shown(value));
            return null;
        }
    }

    private boolean knownCurrency(String code, String pointer, String path) {
        String upper = code.toUpperCase(Locale.ROOT);
        try {
            Currency.getInstance(upper);
        } catch (IllegalArgumentException e) {
            problem(pointer, path, "unknown currency '" + code + "' (an ISO 4217 code such as USD or EUR)");
            return false;
        }
        if (currency == null) {
            currency = upper;
            currencyPath = path;
        } else if (!currency.equals(upper)) {
            problem(pointer, path, "currency " + upper + " differs from " + currency + " in " + currencyPath
                    + "; every amount of a definition is in one currency");
            return false;
        }
        return true;
    }

    /** The number {@code value} holds; null for anything else, NaN and infinities included. */
    private static BigDecimal number(JsonNode value) {
        if (value.isNumber()) {
            return Double.isFinite(value.doubleValue()) || value.isBigDecimal() || value.isBigInteger() ? value.decimalValue() : null;
        }
        if (value.isTextual()) {
            try {
                return new BigDecimal(value.textValue().strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static String shown(JsonNode value) {
        if (value.isObject()) {
            return "a mapping";
        }
        if (value.isArray()) {
            return "a list";
        }
        String text = value.asText();
        return "'" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'";
    }

    /** "; did you mean small_threshold?" when a field is close, else the fields there are. */
    private static String didYouMean(Descriptors.Descriptor type, String key) {
        List<String> names = new ArrayList<>();
        for (FieldDescriptor field : type.getFields()) {
            boolean money = field.getName().endsWith(MICROS_SUFFIX) && field.getJavaType() == FieldDescriptor.JavaType.LONG;
            names.add(money ? field.getName().substring(0, field.getName().length() - MICROS_SUFFIX.length()) : field.getName());
        }
        return NameSuggestions.closest(key, names).map(best -> "; did you mean " + best + "?")
                .orElse("; the fields here are " + String.join(", ", names));
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    static FieldDescriptor fieldNamed(Descriptors.Descriptor type, String name) {
        FieldDescriptor field = type.findFieldByName(name);
        if (field != null) {
            return field;
        }
        for (FieldDescriptor candidate : type.getFields()) {
            if (candidate.getJsonName().equals(name)) {
                return candidate;
            }
        }
        return null;
    }
}
