package pql.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.gateway.support.FakeBackends;
import pql.gateway.support.OpenApiValidator;
import pql.gateway.support.RunningGateway;
import pql.gateway.support.TestKeys;

/**
 * Issue 15's HTTP findings: misspelled query parameters are refused with a "did you mean", the API
 * has an index and an OpenAPI 3.1 document that real answers (errors included) validate against,
 * and every gRPC method (definitions, diff, calibration, compare, classify) is reachable over
 * HTTP/JSON with the same scopes as over gRPC.
 */
class GatewayOpenApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RPC = "/api/v1/rpc/";

    @TempDir
    static Path directory;
    static FakeBackends backends;
    static RunningGateway gateway;
    static OpenApiValidator openApi;

    @BeforeAll
    static void start() throws Exception {
        backends = new FakeBackends();
        gateway = new RunningGateway(backends, directory);
        HttpResponse<String> document = gateway.get("/api/v1/openapi.json", null);
        assertThat(document.statusCode()).isEqualTo(200);
        openApi = new OpenApiValidator(document.body());
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        backends.close();
    }

    @Test
    void aMisspelledQueryParameterIs400WithDidYouMean() throws Exception {
        HttpResponse<String> response = gateway.get("/api/v1/scores?pqlOnly=true", TestKeys.READER);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("code").asText()).isEqualTo("INVALID_ARGUMENT");
        assertThat(error.get("fieldViolations").get(0).get("field").asText()).isEqualTo("pqlOnly");
        assertThat(error.get("fieldViolations").get(0).get("description").asText())
                .contains("did you mean pql_only?").contains("allowed: pql_only, open_only, kind");
        assertValid("/api/v1/scores", "get", response);
        // the right spelling filters
        HttpResponse<String> right = gateway.get("/api/v1/scores?pql_only=true", TestKeys.READER);
        assertThat(right.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(right.body()).get("scores")).hasSize(2);
    }

    @Test
    void aMisspelledExportFilterIs400InsteadOfExportingEverything() throws Exception {
        HttpResponse<String> response = gateway.get("/api/v1/forecast/lines.csv?ownr=x", TestKeys.FINANCE);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"field\":\"ownr\"").contains("did you mean owner?");
        assertThat(response.body()).doesNotContain("acme");
        assertValid("/api/v1/forecast/lines.csv", "get", response);
    }

    @Test
    void everyResourceRefusesParametersItDoesNotTake() throws Exception {
        for (String path : List.of("/api/v1/scores/acme", "/api/v1/spectrum", "/api/v1/forecast", "/api/v1/metrics",
                "/api/v1/transitions/recent", "/api/v1/openapi.json", "/api/v1/")) {
            String key = path.startsWith("/api/v1/forecast") ? TestKeys.FINANCE : TestKeys.READER;
            HttpResponse<String> response = gateway.get(path + "?bogus=1", key);
            assertThat(response.statusCode()).as(path).isEqualTo(400);
            assertThat(response.body()).as(path).contains("\"field\":\"bogus\"");
        }
    }

    @Test
    void theIndexListsTheResourcesWithLinks() throws Exception {
        HttpResponse<String> response = gateway.get("/api/v1/", null);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode index = JSON.readTree(response.body());
        assertThat(index.get("links").get("openapi").asText()).isEqualTo("/api/v1/openapi.json");
        List<String> hrefs = index.get("resources").findValuesAsText("href");
        assertThat(hrefs).contains("/api/v1/scores", "/api/v1/forecast/lines.csv", "/api/v1/openapi.json",
                RPC + "pql.v1.DefinitionService/DiffRescore", RPC + "pql.v1.ForecastService/GetCalibration");
        assertValid("/api/v1", "get", response);
    }

    @Test
    void theDocumentIsOpenApi31WithEveryRefResolvedAndEveryRpcMethod() throws Exception {
        JsonNode document = openApi.document();
        assertThat(document.get("openapi").asText()).isEqualTo("3.1.0");
        JsonNode paths = document.get("paths");
        // derived from the descriptors: every method of every public service
        for (var service : List.of(pql.v1.DefinitionServiceGrpc.getServiceDescriptor(), pql.v1.ForecastServiceGrpc.getServiceDescriptor(),
                pql.v1.ScoringServiceGrpc.getServiceDescriptor(), pql.v1.MetricsServiceGrpc.getServiceDescriptor(),
                pql.v1.AlertServiceGrpc.getServiceDescriptor(), pql.v1.IngestServiceGrpc.getServiceDescriptor(),
                pql.v1.IngestErrorServiceGrpc.getServiceDescriptor())) {
            for (var method : service.getMethods()) {
                assertThat(paths.has(RPC + method.getFullMethodName())).as(method.getFullMethodName()).isTrue();
            }
        }
        JsonNode publish = paths.get(RPC + "pql.v1.DefinitionService/PublishDefinition").get("post");
        assertThat(publish.get("x-pql-scope").asText()).isEqualTo("definitions:admin");
        assertThat(publish.get("requestBody").get("content").get("application/json").get("schema").get("$ref").asText())
                .isEqualTo("#/components/schemas/pql.v1.PublishDefinitionRequest");
        // the proto comments ship as descriptions
        JsonNode schemas = document.get("components").get("schemas");
        assertThat(schemas.get("pql.v1.ForecastFilter").get("description").asText()).contains("Empty lists match everything");
        assertThat(schemas.get("pql.v1.DiffRescoreRequest").get("properties").get("pageSize").get("description").asText())
                .contains("at most 1,000");
        List<String> refs = new ArrayList<>();
        collectRefs(document, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(document.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
        }
        // the validation can fail: a wrong error body, an undocumented field
        assertThat(openApi.problems("/api/v1/scores", "get", 400, "application/json", "{\"code\": 400}")).isNotEmpty();
        assertThat(openApi.problems("/api/v1/scores", "get", 200, "application/json", "{\"scorez\": []}")).isNotEmpty();
        // every schema compiles
        for (Iterator<String> names = document.get("components").get("schemas").fieldNames(); names.hasNext(); ) {
            openApi.schemaAt("#/components/schemas/" + names.next());
        }
    }

    @Test
    void realAnswersValidateAgainstTheDocument() throws Exception {
        for (Map.Entry<String, String> call : Map.of(
                "/api/v1/scores?order_by=qualified_at", "/api/v1/scores",
                "/api/v1/scores/initech", "/api/v1/scores/{account}",
                "/api/v1/scores/nobody", "/api/v1/scores/{account}",
                "/api/v1/spectrum", "/api/v1/spectrum",
                "/api/v1/transitions/recent?limit=2", "/api/v1/transitions/recent",
                "/api/v1/metrics?granularity=month", "/api/v1/metrics").entrySet()) {
            HttpResponse<String> response = gateway.get(call.getKey(), TestKeys.READER);
            assertThat(response.statusCode()).as(call.getKey()).isIn(200, 404);
            assertValid(call.getValue(), "get", response);
        }
        HttpResponse<String> forecast = gateway.get("/api/v1/forecast?group_by=persona", TestKeys.FINANCE);
        assertThat(forecast.statusCode()).isEqualTo(200);
        assertValid("/api/v1/forecast", "get", forecast);
        HttpResponse<String> history = gateway.get("/api/v1/forecast/history?from=2025-01-01&to=2025-02-01&step=week", TestKeys.FINANCE);
        assertThat(history.statusCode()).isEqualTo(200);
        assertValid("/api/v1/forecast/history", "get", history);
        HttpResponse<String> waterfall = gateway.get("/api/v1/forecast/waterfall?from=2025-01-01&to=2025-02-01", TestKeys.FINANCE);
        assertThat(waterfall.statusCode()).isEqualTo(200);
        assertValid("/api/v1/forecast/waterfall", "get", waterfall);
        HttpResponse<String> forbidden = gateway.get("/api/v1/forecast", TestKeys.READER);
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertValid("/api/v1/forecast", "get", forbidden);
        HttpResponse<String> badValue = gateway.get("/api/v1/scores?page_size=0", TestKeys.READER);
        assertThat(badValue.statusCode()).isEqualTo(400);
        assertValid("/api/v1/scores", "get", badValue);
    }

    @Test
    void definitionsDiffCalibrationCompareAndClassifyOverHttp() throws Exception {
        HttpResponse<String> diff = rpc("pql.v1.DefinitionService/DiffRescore", TestKeys.READER, "{\"version\": 2, \"page_size\": 10}");
        assertThat(diff.statusCode()).isEqualTo(200);
        JsonNode changes = JSON.readTree(diff.body());
        assertThat(changes.get("candidateVersion").asInt()).isEqualTo(2);
        assertThat(changes.get("accountsCompared").asText()).isEqualTo("3");
        assertThat(changes.get("changes").get(0).get("accountId").asText()).isEqualTo("acme");

        // curl -d sends form-urlencoded unless told otherwise: the body is JSON all the same
        HttpResponse<String> asForm = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                gateway.http(RPC + "pql.v1.DefinitionService/DiffRescore")).header("X-Api-Key", TestKeys.READER)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"version\": 3}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(asForm.statusCode()).as(asForm.body()).isEqualTo(200);
        assertThat(JSON.readTree(asForm.body()).get("candidateVersion").asInt()).isEqualTo(3);

        HttpResponse<String> list = rpc("pql.v1.DefinitionService/ListDefinitions", TestKeys.READER, "");
        assertThat(JSON.readTree(list.body()).get("definitions").get(0).get("status").asText()).isEqualTo("DEFINITION_STATUS_ACTIVE");

        HttpResponse<String> calibration = rpc("pql.v1.ForecastService/GetCalibration", TestKeys.FINANCE, "{\"confidence\": 0.9}");
        assertThat(calibration.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(calibration.body()).get("confidence").asDouble()).isEqualTo(0.9);

        HttpResponse<String> compare = rpc("pql.v1.ForecastService/CompareForecast", TestKeys.FINANCE,
                "{\"baselineVersion\": 1, \"candidateVersion\": 2}");
        assertThat(compare.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(compare.body()).get("candidate").get("definitionVersion").asInt()).isEqualTo(2);
        assertThat(JSON.readTree(compare.body()).get("expectedRevenueDelta").get("amountMicros").asText()).isEqualTo("-1500000");

        HttpResponse<String> classify = rpc("pql.v1.ForecastService/ClassifyAccount", TestKeys.FINANCE, "{\"accountId\": \"acme\"}");
        assertThat(classify.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(classify.body()).get("persona").asText()).isEqualTo("PERSONA_GOLDEN_LEAD");

        HttpResponse<String> missing = rpc("pql.v1.ForecastService/ClassifyAccount", TestKeys.FINANCE, "{\"accountId\": \"nobody\"}");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(missing.body()).get("code").asText()).isEqualTo("NOT_FOUND");

        for (HttpResponse<String> response : List.of(diff, list, calibration, compare, classify, missing)) {
            assertValid(response.request().uri().getPath(), "post", response);
        }
    }

    @Test
    void theRpcRouteChecksTheSameScopesAsGrpc() throws Exception {
        HttpResponse<String> noKey = rpc("pql.v1.DefinitionService/DiffRescore", null, "{\"version\": 2}");
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(noKey.body()).get("code").asText()).isEqualTo("UNAUTHENTICATED");

        // diff is a read (scores:read), publish needs definitions:admin, calibration forecast:read
        HttpResponse<String> publishAsReader = rpc("pql.v1.DefinitionService/PublishDefinition", TestKeys.READER, "{}");
        assertThat(publishAsReader.statusCode()).isEqualTo(403);
        assertThat(publishAsReader.body()).contains("definitions:admin");
        assertThat(rpc("pql.v1.ForecastService/GetCalibration", TestKeys.READER, "{}").statusCode()).isEqualTo(403);
        assertThat(rpc("pql.v1.DefinitionService/DiffRescore", TestKeys.FINANCE, "{\"version\": 2}").statusCode()).isEqualTo(403);

        HttpResponse<String> publish = rpc("pql.v1.DefinitionService/PublishDefinition", TestKeys.ADMIN, "{}");
        assertThat(publish.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(publish.body()).get("version").asInt()).isEqualTo(2);
        assertThat(backends.principalByMethod).containsEntry("PublishDefinition", "admin");

        HttpResponse<String> notCaughtUp = rpc("pql.v1.DefinitionService/PromoteDefinition", TestKeys.ADMIN, "{\"version\": 2}");
        assertThat(notCaughtUp.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(notCaughtUp.body()).get("code").asText()).isEqualTo("FAILED_PRECONDITION");
        for (HttpResponse<String> response : List.of(noKey, publishAsReader, publish, notCaughtUp)) {
            assertValid(response.request().uri().getPath(), "post", response);
        }
    }

    @Test
    void unknownMethodsAndMalformedBodiesAreRefused() throws Exception {
        HttpResponse<String> typo = rpc("pql.v1.DefinitionService/DifRescore", TestKeys.READER, "{}");
        assertThat(typo.statusCode()).isEqualTo(404);
        assertThat(typo.body()).contains("did you mean DiffRescore?");

        HttpResponse<String> unknownField = rpc("pql.v1.DefinitionService/DiffRescore", TestKeys.READER, "{\"verison\": 2}");
        assertThat(unknownField.statusCode()).isEqualTo(400);
        assertThat(unknownField.body()).contains("verison");
        assertValid(RPC + "pql.v1.DefinitionService/DiffRescore", "post", unknownField);
    }

    @Test
    void unmatchedRequestsAnswerTheSameErrorBody() throws Exception {
        HttpResponse<String> noSuchPath = gateway.get("/api/v1/scorez", TestKeys.READER);
        assertThat(noSuchPath.statusCode()).isEqualTo(404);
        JsonNode error = JSON.readTree(noSuchPath.body());
        assertThat(error.get("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(error.get("message").asText()).contains("/api/v1/");

        HttpResponse<String> getOnRpc = gateway.get(RPC + "pql.v1.ForecastService/ClassifyAccount", TestKeys.FINANCE);
        assertThat(getOnRpc.statusCode()).isEqualTo(405);
        assertThat(JSON.readTree(getOnRpc.body()).get("httpStatus").asInt()).isEqualTo(405);
    }

    @Test
    void serverStreamsAnswerNdjson() throws Exception {
        HttpResponse<String> lines = rpc("pql.v1.ForecastService/StreamForecastLines", TestKeys.FINANCE,
                "{\"filter\": {\"personas\": [\"PERSONA_GOLDEN_LEAD\"]}}");

        assertThat(lines.statusCode()).isEqualTo(200);
        assertThat(lines.headers().firstValue("content-type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/x-ndjson"));
        List<String> rows = lines.body().lines().toList();
        assertThat(rows).hasSize(1);
        assertThat(JSON.readTree(rows.get(0)).get("accountId").asText()).isEqualTo("acme");
        assertValid(RPC + "pql.v1.ForecastService/StreamForecastLines", "post", lines);

        HttpResponse<String> failed = rpc("pql.v1.ForecastService/StreamForecastLines", TestKeys.FINANCE, "{\"definitionVersion\": 99}");
        assertThat(failed.statusCode()).isEqualTo(404);
        assertValid(RPC + "pql.v1.ForecastService/StreamForecastLines", "post", failed);
    }

    @Test
    void aClientStreamTakesAJsonArray() throws Exception {
        HttpResponse<String> answers = rpc("pql.v1.IngestService/IngestStream", TestKeys.INGESTER,
                "[{\"sequence\": \"1\", \"events\": [{\"eventId\": \"e1\"}]}, {\"sequence\": \"2\"}]");

        assertThat(answers.statusCode()).isEqualTo(200);
        assertThat(answers.body().lines().map(line -> readTree(line).get("sequence").asText()).toList()).containsExactly("1", "2");
        assertValid(RPC + "pql.v1.IngestService/IngestStream", "post", answers);
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(json, e);
        }
    }

    private static HttpResponse<String> rpc(String method, String key, String body) throws Exception {
        return gateway.post(RPC + method, key, body);
    }

    private static void assertValid(String documentedPath, String method, HttpResponse<String> response) throws Exception {
        String type = response.headers().firstValue("content-type").orElse("").split(";")[0].trim();
        assertThat(openApi.problems(documentedPath, method, response.statusCode(), type, response.body()))
                .as(method + " " + documentedPath + " " + response.statusCode() + ": " + response.body())
                .isEmpty();
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                if (field.getKey().equals("$ref")) {
                    refs.add(field.getValue().asText());
                } else {
                    collectRefs(field.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectRefs(child, refs));
        }
    }
}
