package pql.scoring.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import pql.v1.ScoringDefinition;

/**
 * Scoring definitions as JSON or YAML text: what the CLI edits and platform teams keep in version
 * control. JSON is protobuf's canonical JSON mapping (field names in lowerCamelCase, enums by name,
 * e.g. {@code "productComplexity": "PRODUCT_COMPLEXITY_INTERMEDIATE"}; proto field names such as
 * {@code product_complexity} are accepted too). YAML is the same tree written as YAML.
 *
 * <p>Parsing is strict: unknown fields and unknown enum names are errors, with the offending name.
 * Text and wire message only; {@link DefinitionProtos} takes the message on to the domain.
 */
public final class DefinitionText {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().alwaysPrintFieldsWithNoPresence();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();

    /** A definition text that cannot be read; the message says where. */
    public static final class DefinitionFormatException extends Exception {
        public DefinitionFormatException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private DefinitionText() {
    }

    public static String toJson(ScoringDefinition definition) {
        try {
            return PRINTER.print(definition);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a definition always prints", e);
        }
    }

    public static ScoringDefinition fromJson(String json) throws DefinitionFormatException {
        ScoringDefinition.Builder builder = ScoringDefinition.newBuilder();
        try {
            PARSER.merge(json, builder);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new DefinitionFormatException("not a valid scoring definition: " + e.getMessage(), e);
        }
        return builder.build();
    }

    public static String toYaml(ScoringDefinition definition) {
        try {
            JsonNode tree = JSON.readTree(toJson(definition));
            return YAML.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a definition always converts to YAML", e);
        }
    }

    public static ScoringDefinition fromYaml(String yaml) throws DefinitionFormatException {
        JsonNode tree;
        try {
            tree = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new DefinitionFormatException("not valid YAML: " + e.getOriginalMessage() + " at line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new DefinitionFormatException("a definition is a YAML mapping", null);
        }
        return fromJson(tree.toString());
    }

    /** YAML or JSON, told apart by the first non-blank character. */
    public static ScoringDefinition parse(String text) throws DefinitionFormatException {
        String trimmed = text.stripLeading();
        return trimmed.startsWith("{") ? fromJson(text) : fromYaml(text);
    }
}
