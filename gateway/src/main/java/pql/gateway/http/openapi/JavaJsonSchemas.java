package pql.gateway.http.openapi;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Message;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;

/**
 * JSON Schemas of the Java types HTTP resources answer with: proto messages (through
 * {@link ProtoJsonSchemas}) and the few Jackson-written classes (records and getters marked
 * {@code @JsonProperty}), each named after its simple class name.
 */
final class JavaJsonSchemas {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final ProtoJsonSchemas protos;

    JavaJsonSchemas(ProtoJsonSchemas protos) {
        this.protos = protos;
    }

    ObjectNode of(Type type) {
        if (type instanceof ParameterizedType generic && generic.getRawType() instanceof Class<?> raw
                && Iterable.class.isAssignableFrom(raw)) {
            ObjectNode array = JSON.objectNode().put("type", "array");
            array.set("items", of(generic.getActualTypeArguments()[0]));
            return array;
        }
        if (!(type instanceof Class<?> cls)) {
            return JSON.objectNode();
        }
        if (cls == String.class) {
            return JSON.objectNode().put("type", "string");
        }
        if (cls == int.class || cls == long.class || cls == Integer.class || cls == Long.class) {
            return JSON.objectNode().put("type", "integer");
        }
        if (cls == double.class || cls == float.class || cls == Double.class || cls == Float.class) {
            return JSON.objectNode().put("type", "number");
        }
        if (cls == boolean.class || cls == Boolean.class) {
            return JSON.objectNode().put("type", "boolean");
        }
        if (Message.class.isAssignableFrom(cls)) {
            return protos.ref(descriptorOf(cls));
        }
        if (JsonNode.class.isAssignableFrom(cls)) {
            return JSON.objectNode().put("type", "object");
        }
        return named(cls);
    }

    static Descriptors.Descriptor descriptorOf(Class<?> message) {
        try {
            return (Descriptors.Descriptor) message.getMethod("getDescriptor").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(message + " is not a generated message", e);
        }
    }

    /** A record or a class with {@code @JsonProperty} getters, as a named schema. */
    private ObjectNode named(Class<?> cls) {
        String name = cls.getSimpleName();
        var schemas = protos.schemas();
        if (!schemas.containsKey(name)) {
            ObjectNode schema = JSON.objectNode().put("type", "object");
            schemas.put(name, schema);
            ObjectNode properties = schema.putObject("properties");
            var required = schema.putArray("required");
            if (cls.isRecord()) {
                for (RecordComponent component : cls.getRecordComponents()) {
                    String property = propertyName(component.getAnnotation(JsonProperty.class), component.getName());
                    properties.set(property, of(component.getGenericType()));
                    required.add(property);
                }
            } else {
                for (Method getter : cls.getMethods()) {
                    JsonProperty annotation = getter.getAnnotation(JsonProperty.class);
                    if (annotation == null || Modifier.isStatic(getter.getModifiers())) {
                        continue;
                    }
                    String property = propertyName(annotation, getter.getName());
                    JsonArrayOf raw = getter.getAnnotation(JsonArrayOf.class);
                    ObjectNode value = raw == null ? of(getter.getGenericReturnType())
                            : JSON.objectNode().put("type", "array").set("items", protos.ref(descriptorOf(raw.value())));
                    properties.set(property, value);
                    required.add(property);
                }
            }
            schema.put("additionalProperties", false);
        }
        return JSON.objectNode().put("$ref", ProtoJsonSchemas.PREFIX + name);
    }

    private static String propertyName(JsonProperty annotation, String fallback) {
        return annotation == null || annotation.value().isEmpty() ? fallback : annotation.value();
    }
}
