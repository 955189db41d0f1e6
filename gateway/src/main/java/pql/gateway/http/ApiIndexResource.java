package pql.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Iterator;
import java.util.Map;
import pql.gateway.http.openapi.Summary;

/**
 * What the API offers, open to anybody (like gRPC reflection): {@code GET /api/v1/} lists every
 * resource with its link, methods and scope, and {@code GET /api/v1/openapi.json} is the OpenAPI
 * 3.1 document; both from the one document generated at start.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public final class ApiIndexResource {

    private final ObjectNode openApi;
    private final ObjectNode index;

    public ApiIndexResource(ObjectNode openApi) {
        this.openApi = openApi;
        this.index = index(openApi);
    }

    @GET
    @Summary("The resources of the API, with links")
    public JsonNode index() {
        return index;
    }

    @GET
    @Path("/openapi.json")
    @Summary("This API's OpenAPI 3.1 document")
    public JsonNode openApi() {
        return openApi;
    }

    private static ObjectNode index(ObjectNode openApi) {
        ObjectNode index = JsonNodeFactory.instance.objectNode();
        index.put("name", openApi.path("info").path("title").asText());
        index.put("description", openApi.path("info").path("description").asText());
        ObjectNode links = index.putObject("links");
        links.put("self", "/api/v1/");
        links.put("openapi", "/api/v1/openapi.json");
        links.put("dashboard", "/dashboard/");
        ArrayNode resources = index.putArray("resources");
        for (Iterator<Map.Entry<String, JsonNode>> paths = openApi.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> operations = path.getValue().fields(); operations.hasNext(); ) {
                Map.Entry<String, JsonNode> operation = operations.next();
                ObjectNode resource = resources.addObject();
                resource.put("href", path.getKey());
                resource.put("method", operation.getKey().toUpperCase(java.util.Locale.ROOT));
                resource.put("summary", operation.getValue().path("summary").asText(""));
                resource.put("scope", operation.getValue().path("x-pql-scope").asText(""));
            }
        }
        return index;
    }
}
