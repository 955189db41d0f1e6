package pql.gateway.http.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import pql.gateway.auth.MethodScopes;
import pql.gateway.auth.Scope;
import pql.gateway.http.ErrorBody;
import pql.gateway.http.RequiresScope;
import pql.gateway.http.RpcCatalog;

/**
 * The OpenAPI 3.1 document of the HTTP API, generated when the gateway starts from what actually
 * serves it, so it cannot drift: the JAX-RS resources' annotations (paths, query and path
 * parameters, scopes, produced types, return types) and, for the generic RPC route, the proto
 * descriptors of every public method (request and response messages, comments, scopes from
 * {@link MethodScopes}). Schemas are JSON Schema 2020-12 of the proto3 JSON form.
 */
public final class OpenApiDocument {

    /** Where the generic route lives; a method is at {@code RPC_PREFIX + "/pql.v1.Service/Method"}. */
    public static final String RPC_PREFIX = "/api/v1/rpc";
    /** The media type of server streams over HTTP. */
    public static final String NDJSON = "application/x-ndjson";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final List<Class<? extends java.lang.annotation.Annotation>> VERBS =
            List.of(GET.class, POST.class, PUT.class, DELETE.class);

    private final ProtoJsonSchemas protos = new ProtoJsonSchemas();
    private final JavaJsonSchemas classes = new JavaJsonSchemas(protos);
    private final MethodScopes scopes = new MethodScopes();
    private final ObjectNode paths = JSON.objectNode();

    private OpenApiDocument() {
    }

    /**
     * @param resources the JAX-RS resource classes of the API (the generic RPC route is described from {@code rpc})
     */
    public static ObjectNode generate(List<Class<?>> resources, RpcCatalog rpc) {
        OpenApiDocument document = new OpenApiDocument();
        resources.forEach(document::addResource);
        rpc.methods().forEach(document::addRpc);
        return document.build();
    }

    private ObjectNode build() {
        ObjectNode root = JSON.objectNode();
        root.put("openapi", "3.1.0");
        root.put("jsonSchemaDialect", "https://json-schema.org/draft/2020-12/schema");
        ObjectNode info = root.putObject("info");
        info.put("title", "PQL Suite API");
        info.put("version", "v1");
        info.put("description", "Product-qualified leads and the revenue forecast. Query parameters are snake_case and"
                + " unknown ones are refused (400); JSON bodies are proto3 JSON (lowerCamelCase names, enums by name,"
                + " 64-bit integers as strings; requests also accept the snake_case field names). Every gRPC method is"
                + " reachable at POST " + RPC_PREFIX + "/{service}/{method}; server streams answer NDJSON.");
        root.set("paths", paths);
        ObjectNode components = root.putObject("components");
        ObjectNode security = components.putObject("securitySchemes");
        security.putObject("apiKey").put("type", "apiKey").put("in", "header").put("name", "X-Api-Key");
        security.putObject("bearer").put("type", "http").put("scheme", "bearer");
        classes.of(ErrorBody.class);
        ObjectNode schemas = components.putObject("schemas");
        protos.schemas().forEach(schemas::set);
        return root;
    }

    private void addResource(Class<?> resource) {
        String base = pathOf(resource.getAnnotation(Path.class));
        Arrays.stream(resource.getMethods())
                .sorted(Comparator.comparing(Method::getName))
                .forEach(method -> VERBS.stream().filter(method::isAnnotationPresent).findFirst().ifPresent(verb -> {
                    String path = join(base, pathOf(method.getAnnotation(Path.class)));
                    ObjectNode operation = operation(path, verb.getSimpleName().toLowerCase(java.util.Locale.ROOT));
                    operation.put("operationId", resource.getSimpleName() + "_" + method.getName());
                    Summary summary = method.getAnnotation(Summary.class);
                    if (summary != null) {
                        operation.put("summary", summary.value());
                    }
                    ArrayNode parameters = operation.putArray("parameters");
                    for (Parameter parameter : method.getParameters()) {
                        addParameter(parameters, parameter);
                    }
                    RequiresScope scope = method.getAnnotation(RequiresScope.class);
                    secure(operation, scope == null ? resource.getAnnotation(RequiresScope.class) : scope);
                    respond(operation, mediaType(method, resource), method.getReturnType() == Response.class
                            ? JSON.objectNode().put("type", "string") : classes.of(method.getGenericReturnType()));
                }));
    }

    private static void addParameter(ArrayNode parameters, Parameter parameter) {
        QueryParam query = parameter.getAnnotation(QueryParam.class);
        PathParam path = parameter.getAnnotation(PathParam.class);
        if (query == null && path == null) {
            return;
        }
        ObjectNode described = parameters.addObject();
        described.put("name", query != null ? query.value() : path.value());
        described.put("in", query != null ? "query" : "path");
        described.put("required", path != null);
        if (List.class.isAssignableFrom(parameter.getType())) {
            described.put("description", "repeat the parameter or separate values with commas");
            described.putObject("schema").put("type", "array").putObject("items").put("type", "string");
            described.put("explode", true);
        } else {
            described.putObject("schema").put("type", "string");
        }
    }

    private static String mediaType(Method method, Class<?> resource) {
        Produces produces = method.getAnnotation(Produces.class);
        if (produces == null) {
            produces = resource.getAnnotation(Produces.class);
        }
        return produces == null ? MediaType.APPLICATION_JSON : produces.value()[0];
    }

    private void addRpc(RpcCatalog.RpcMethod rpc) {
        ObjectNode operation = operation(RPC_PREFIX + "/" + rpc.serviceName() + "/" + rpc.proto().getName(), "post");
        operation.put("operationId", rpc.proto().getService().getName() + "_" + rpc.proto().getName());
        operation.putArray("tags").add(rpc.serviceName());
        String comment = ProtoComments.of(rpc.proto());
        operation.put("summary", rpc.serviceName() + "/" + rpc.proto().getName());
        ProtoJsonSchemas.describe(operation, comment + (rpc.serverStreaming()
                ? (comment.isEmpty() ? "" : " ") + "A server stream: answered as NDJSON, one message per line; a failure after"
                + " the first line ends the body with a line {\"error\": ErrorBody}." : ""));
        ObjectNode request = protos.ref(rpc.proto().getInputType());
        ObjectNode body = operation.putObject("requestBody");
        body.put("required", false);
        body.put("description", rpc.clientStreaming() ? "a client stream: a JSON array of the request messages"
                : "the request message in proto3 JSON; an empty body is the empty message");
        body.putObject("content").putObject(MediaType.APPLICATION_JSON).set("schema", rpc.clientStreaming()
                ? JSON.objectNode().put("type", "array").set("items", request) : request);
        MethodScopes.Requirement requirement = scopes.of(rpc.grpc().getFullMethodName());
        secure(operation, requirement instanceof MethodScopes.Needs needs ? needs.scope() : null);
        respond(operation, rpc.serverStreaming() ? NDJSON : MediaType.APPLICATION_JSON, protos.ref(rpc.proto().getOutputType()));
    }

    private ObjectNode operation(String path, String verb) {
        ObjectNode item = paths.has(path) ? (ObjectNode) paths.get(path) : paths.putObject(path);
        return item.putObject(verb);
    }

    private static void secure(ObjectNode operation, RequiresScope scope) {
        secure(operation, scope == null ? new Scope[0] : scope.value());
    }

    /** Any one of {@code scopes} is enough; {@code x-pql-scope} names the first (the API's own), {@code x-pql-scopes} all. */
    private static void secure(ObjectNode operation, Scope... scopes) {
        ArrayNode security = operation.putArray("security");
        if (scopes.length == 0 || scopes[0] == null) {
            return;
        }
        security.addObject().putArray("apiKey");
        security.addObject().putArray("bearer");
        operation.put("x-pql-scope", scopes[0].label());
        if (scopes.length > 1) {
            ArrayNode all = operation.putArray("x-pql-scopes");
            for (Scope scope : scopes) {
                all.add(scope.label());
            }
        }
    }

    /** 200 with {@code schema}; every error (4XX, 5XX) as an ErrorBody. */
    private void respond(ObjectNode operation, String mediaType, ObjectNode schema) {
        ObjectNode responses = operation.putObject("responses");
        ObjectNode ok = responses.putObject("200");
        ok.put("description", NDJSON.equals(mediaType) ? "one message per line" : "OK");
        ok.putObject("content").putObject(mediaType).set("schema", schema);
        ObjectNode error = classes.of(ErrorBody.class);
        for (String[] range : new String[][] {{"4XX", "the request was refused"}, {"5XX", "the service failed"}}) {
            ObjectNode response = responses.putObject(range[0]);
            response.put("description", range[1]);
            response.putObject("content").putObject(MediaType.APPLICATION_JSON).set("schema", error);
        }
    }

    private static String pathOf(Path path) {
        return path == null ? "" : path.value();
    }

    private static String join(String base, String path) {
        String joined = ("/" + base + "/" + path).replaceAll("/+", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }
}
