package pql.gateway.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks real HTTP answers against the gateway's OpenAPI document with networknt's JSON Schema
 * validator: the schema of (path, method, status, media type) is taken from the document itself,
 * with the document's components in reach of its {@code $ref}s.
 */
public final class OpenApiValidator {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private final JsonNode document;

    public OpenApiValidator(String openApiJson) throws Exception {
        this.document = JSON.readTree(openApiJson);
    }

    public JsonNode document() {
        return document;
    }

    /**
     * The problems of {@code body} against the documented answer; the status falls back to its
     * range ({@code 4XX}). For NDJSON, every line is checked against the schema of one line.
     */
    public List<String> problems(String path, String method, int status, String mediaType, String body) throws Exception {
        JsonNode responses = document.path("paths").path(path).path(method).path("responses");
        if (responses.isMissingNode()) {
            return List.of("not documented: " + method + " " + path);
        }
        String code = responses.has(String.valueOf(status)) ? String.valueOf(status) : (status / 100) + "XX";
        if (!responses.path(code).path("content").has(mediaType)) {
            return List.of("no " + mediaType + " answer documented for " + method + " " + path + " " + status);
        }
        String pointer = "#/paths/" + escape(path) + "/" + method + "/responses/" + code + "/content/" + escape(mediaType) + "/schema";
        Schema schema = schemaAt(pointer);
        List<String> problems = new ArrayList<>();
        List<String> instances = mediaType.equals("application/x-ndjson") ? body.lines().toList() : List.of(body);
        for (String instance : instances) {
            for (Error error : schema.validate(instance, InputFormat.JSON)) {
                problems.add(error.toString());
            }
        }
        return problems;
    }

    /** A schema that is {@code pointer} in the document (the document as its root resource, so refs resolve). */
    public Schema schemaAt(String pointer) {
        ObjectNode root = document.deepCopy();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.put("$ref", pointer);
        return SCHEMAS.getSchema(root.toString(), InputFormat.JSON);
    }

    private static String escape(String segment) {
        return segment.replace("~", "~0").replace("/", "~1");
    }
}
