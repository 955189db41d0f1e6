package pql.gateway.http.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON Schemas (2020-12, as OpenAPI 3.1 takes them) of proto messages in their proto3 JSON form,
 * exactly as {@code JsonFormat} prints them: lowerCamelCase names, enums by name, 64-bit integers
 * as strings, well-known types in their special forms. Each message becomes one named schema
 * ({@code #/components/schemas/pql.v1.Name}) and references the messages it contains.
 */
final class ProtoJsonSchemas {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    static final String PREFIX = "#/components/schemas/";

    /** Named schemas collected so far, by full message name. */
    private final Map<String, ObjectNode> schemas = new TreeMap<>();

    /** A reference to {@code message}'s schema, collecting it (and what it contains) first. */
    ObjectNode ref(Descriptors.Descriptor message) {
        ObjectNode special = wellKnown(message.getFullName());
        if (special != null) {
            return special;
        }
        if (!schemas.containsKey(message.getFullName())) {
            ObjectNode schema = JSON.objectNode();
            schemas.put(message.getFullName(), schema); // before the fields: messages may contain themselves
            schema.put("type", "object");
            describe(schema, ProtoComments.of(message));
            ObjectNode properties = schema.putObject("properties");
            for (FieldDescriptor field : message.getFields()) {
                properties.set(field.getJsonName(), describe(field(field), ProtoComments.of(field)));
            }
            schema.put("additionalProperties", false);
        }
        return JSON.objectNode().put("$ref", PREFIX + message.getFullName());
    }

    Map<String, ObjectNode> schemas() {
        return schemas;
    }

    private ObjectNode field(FieldDescriptor field) {
        if (field.isMapField()) {
            FieldDescriptor value = field.getMessageType().findFieldByName("value");
            ObjectNode map = JSON.objectNode().put("type", "object");
            map.set("additionalProperties", single(value));
            return map;
        }
        if (field.isRepeated()) {
            ObjectNode array = JSON.objectNode().put("type", "array");
            array.set("items", single(field));
            return array;
        }
        return single(field);
    }

    private ObjectNode single(FieldDescriptor field) {
        return switch (field.getJavaType()) {
            case INT -> JSON.objectNode().put("type", "integer").put("format", "int32");
            // proto3 JSON prints 64-bit integers as strings (JavaScript numbers lose precision); numbers are read too
            case LONG -> types("string", "integer").put("format", "int64");
            case FLOAT, DOUBLE -> types("number", "string"); // "NaN", "Infinity"
            case BOOLEAN -> JSON.objectNode().put("type", "boolean");
            case STRING -> JSON.objectNode().put("type", "string");
            case BYTE_STRING -> JSON.objectNode().put("type", "string").put("contentEncoding", "base64");
            case ENUM -> enumSchema(field.getEnumType());
            case MESSAGE -> ref(field.getMessageType());
        };
    }

    private static ObjectNode enumSchema(Descriptors.EnumDescriptor type) {
        ObjectNode schema = JSON.objectNode().put("type", "string");
        ArrayNode values = schema.putArray("enum");
        type.getValues().forEach(value -> values.add(value.getName()));
        return describe(schema, ProtoComments.of(type));
    }

    private static ObjectNode wellKnown(String fullName) {
        return switch (fullName) {
            case "google.protobuf.Timestamp" -> JSON.objectNode().put("type", "string").put("format", "date-time");
            case "google.protobuf.Duration" -> JSON.objectNode().put("type", "string").put("pattern", "^-?[0-9]+(\\.[0-9]+)?s$");
            case "google.protobuf.FieldMask" -> JSON.objectNode().put("type", "string");
            case "google.protobuf.Empty", "google.protobuf.Struct", "google.protobuf.Any" -> JSON.objectNode().put("type", "object");
            case "google.protobuf.Value" -> JSON.objectNode();
            case "google.protobuf.ListValue" -> JSON.objectNode().put("type", "array");
            case "google.protobuf.StringValue", "google.protobuf.BytesValue" -> types("string", "null");
            case "google.protobuf.BoolValue" -> types("boolean", "null");
            case "google.protobuf.Int32Value", "google.protobuf.UInt32Value" -> types("integer", "null");
            case "google.protobuf.Int64Value", "google.protobuf.UInt64Value" -> types("string", "integer", "null");
            case "google.protobuf.FloatValue", "google.protobuf.DoubleValue" -> types("number", "string", "null");
            default -> null;
        };
    }

    private static ObjectNode types(String... names) {
        ObjectNode schema = JSON.objectNode();
        ArrayNode types = schema.putArray("type");
        for (String name : names) {
            types.add(name);
        }
        return schema;
    }

    /** Adds the description; a {@code $ref} keeps its siblings in JSON Schema 2020-12. */
    static ObjectNode describe(ObjectNode schema, String description) {
        if (description != null && !description.isEmpty()) {
            schema.put("description", description);
        }
        return schema;
    }
}
