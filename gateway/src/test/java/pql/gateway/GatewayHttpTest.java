package pql.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.gateway.support.FakeBackends;
import pql.gateway.support.RunningGateway;
import pql.gateway.support.TestKeys;

/** The HTTP/JSON and CSV API and the dashboard's files, against fake backends. */
class GatewayHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path directory;
    static FakeBackends backends;
    static RunningGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        backends = new FakeBackends();
        gateway = new RunningGateway(backends, directory);
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        backends.close();
    }

    @Test
    void scoresAsProtoJsonWithTheFilterApplied() throws Exception {
        HttpResponse<String> response = gateway.get("/api/v1/scores?pql_only=true&order_by=qualified_at", TestKeys.READER);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("scores")).hasSize(2);
        assertThat(body.get("scores").get(0).get("accountId").asText()).isEqualTo("acme");
        assertThat(body.get("scores").get(0).get("pql").get("kinds").get(1).asText()).isEqualTo("PQL_KIND_HAND_RAISER");
        assertThat(body.get("totalSize").asText()).isEqualTo("2");
        assertThat(backends.principalByMethod).containsEntry("ListAccountScores", "reader");
    }

    @Test
    void oneAccountAndNotFound() throws Exception {
        HttpResponse<String> found = gateway.get("/api/v1/scores/initech", TestKeys.READER);
        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(found.body()).get("profile").get("name").asText()).isEqualTo("Initech");

        HttpResponse<String> missing = gateway.get("/api/v1/scores/nobody", TestKeys.READER);
        assertThat(missing.statusCode()).isEqualTo(404);
        JsonNode error = JSON.readTree(missing.body());
        assertThat(error.get("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(error.get("message").asText()).isEqualTo("no account nobody");
    }

    @Test
    void badQueryParametersAre400WithEveryFieldViolation() throws Exception {
        HttpResponse<String> response = gateway.get(
                "/api/v1/scores?page_size=5000&kind=golden&as_of=yesterday&pql_only=maybe", TestKeys.READER);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("code").asText()).isEqualTo("INVALID_ARGUMENT");
        assertThat(error.get("fieldViolations").findValuesAsText("field")).containsExactlyInAnyOrder("page_size", "kind", "as_of",
                "pql_only");
        assertThat(error.get("fieldViolations").toString()).contains("one of criteria_met, hand_raiser");
    }

    @Test
    void theLeadListsPersonaStatusAndOrderTakeShortFormsAndABadOneIs400NamingIt() throws Exception {
        HttpResponse<String> good = gateway.get("/api/v1/scores?pql_only=true&status=open&persona=golden-lead"
                + "&owner=Ana&order_by=expected_value", TestKeys.READER);
        HttpResponse<String> bad = gateway.get("/api/v1/scores?persona=unicorn&status=won&order_by=hottest", TestKeys.READER);

        assertThat(good.statusCode()).as(good.body()).isEqualTo(200);
        assertThat(bad.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(bad.body());
        assertThat(error.get("fieldViolations").findValuesAsText("field")).containsExactlyInAnyOrder("persona", "status",
                "order_by");
        assertThat(error.get("fieldViolations").toString())
                .contains("unknown value 'won'; one of open, converted, lost, churned, paid, freemium")
                .contains("expected_value_desc, last_activity_desc");
    }

    @Test
    void enumParametersTakeTheShortFormsTheCliTakesAndAnUnknownOneListsThem() throws Exception {
        HttpResponse<String> shortForms = gateway.get("/api/v1/forecast?persona=golden-lead,PERSONA_FIZZLER&size=Mid&group_by=opportunity-size",
                TestKeys.FINANCE);
        HttpResponse<String> unknown = gateway.get("/api/v1/forecast?persona=golden", TestKeys.FINANCE);

        assertThat(shortForms.statusCode()).as(shortForms.body()).isEqualTo(200);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(unknown.body()).get("fieldViolations").toString())
                .contains("unknown value 'golden'; one of golden_lead, silent_success, contrary_converter");
    }

    @Test
    void withoutAKeyOrTheScopeTheApiRefuses() throws Exception {
        HttpResponse<String> none = gateway.get("/api/v1/forecast", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(none.body()).get("code").asText()).isEqualTo("UNAUTHENTICATED");

        HttpResponse<String> wrong = gateway.get("/api/v1/forecast", "pql_wrong");
        assertThat(wrong.statusCode()).isEqualTo(401);

        HttpResponse<String> noScope = gateway.get("/api/v1/forecast", TestKeys.READER);
        assertThat(noScope.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(noScope.body()).get("message").asText()).contains("forecast:read");
    }

    @Test
    void forecastAccuracyMapsItsParametersToTheGrpcRequestAndRefusesAnUnknownStep() throws Exception {
        HttpResponse<String> response = gateway.get("/api/v1/forecast/accuracy?from=2025-01-01&to=2025-04-01T00:00:00Z&step=month",
                TestKeys.FINANCE);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode accuracy = JSON.readTree(response.body());
        assertThat(accuracy.get("step").asText()).isEqualTo("ACCURACY_STEP_MONTH");
        assertThat(accuracy.get("periods").get(0).get("start").asText()).isEqualTo("2025-01-01T00:00:00Z");
        assertThat(accuracy.get("periods").get(0).get("end").asText()).isEqualTo("2025-04-01T00:00:00Z");
        assertThat(backends.principalByMethod).containsEntry("GetForecastAccuracy", "finance");
        assertThat(accuracy.get("hindsight").asBoolean()).as("false unless asked").isFalse();
        HttpResponse<String> hindsight = gateway.get("/api/v1/forecast/accuracy?from=2025-01-01&to=2025-04-01&step=quarter&hindsight=true",
                TestKeys.FINANCE);
        assertThat(JSON.readTree(hindsight.body()).get("hindsight").asBoolean()).isTrue();
        assertThat(JSON.readTree(hindsight.body()).get("step").asText()).isEqualTo("ACCURACY_STEP_QUARTER");

        HttpResponse<String> badStep = gateway.get("/api/v1/forecast/accuracy?from=2025-01-01&to=2025-04-01&step=fortnight",
                TestKeys.FINANCE);
        assertThat(badStep.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badStep.body()).get("fieldViolations").toString()).contains("step").contains("week, month, quarter");
        HttpResponse<String> badDate = gateway.get("/api/v1/forecast/accuracy?from=January&to=2025-04-01&step=month", TestKeys.FINANCE);
        assertThat(badDate.statusCode()).isEqualTo(400);
        HttpResponse<String> noFrom = gateway.get("/api/v1/forecast/accuracy?to=2025-04-01&step=month", TestKeys.FINANCE);
        assertThat(noFrom.statusCode()).as("the service's own refusal").isEqualTo(400);
        assertThat(gateway.get("/api/v1/forecast/accuracy?from=2025-01-01&to=2025-04-01&step=month", TestKeys.READER).statusCode())
                .as("forecast:read").isEqualTo(403);
    }

    @Test
    void forecastHistoryMapsRangeStepAndFiltersAndRefusesAnUnknownStep() throws Exception {
        HttpResponse<String> weekly = gateway.get("/api/v1/forecast/history?from=2025-01-01&to=2025-01-29&step=week"
                + "&owner=ana@example.com&size=large&close_month=2025-04", TestKeys.FINANCE);

        assertThat(weekly.statusCode()).as(weekly.body()).isEqualTo(200);
        JsonNode points = JSON.readTree(weekly.body()).get("points");
        assertThat(points).hasSize(5);
        assertThat(points.get(0).get("knownAt").asText()).isEqualTo("2025-01-01T00:00:00Z");
        assertThat(points.get(4).get("asOf").asText()).isEqualTo("2025-01-29T00:00:00Z");
        assertThat(points.get(0).get("expectedRevenue").get("amountMicros").asLong()).as("ana's line only").isEqualTo(10_800_000_000L);
        assertThat(backends.principalByMethod).containsEntry("GetForecastHistory", "finance");
        HttpResponse<String> monthly = gateway.get("/api/v1/forecast/history?from=2025-01-31&to=2025-04-30&step=month", TestKeys.FINANCE);
        assertThat(JSON.readTree(monthly.body()).get("points").get(1).get("asOf").asText()).isEqualTo("2025-02-28T00:00:00Z");

        HttpResponse<String> badStep = gateway.get("/api/v1/forecast/history?from=2025-01-01&step=fortnight", TestKeys.FINANCE);
        assertThat(badStep.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badStep.body()).get("fieldViolations").toString()).contains("step").contains("week, month");
        HttpResponse<String> badMonth = gateway.get("/api/v1/forecast/history?from=2025-01-01&close_month=April", TestKeys.FINANCE);
        assertThat(badMonth.statusCode()).isEqualTo(400);
        assertThat(gateway.get("/api/v1/forecast/history?to=2025-04-01", TestKeys.FINANCE).statusCode())
                .as("the service's own refusal of a missing from").isEqualTo(400);
        assertThat(gateway.get("/api/v1/forecast/history?from=2025-01-01", TestKeys.READER).statusCode()).isEqualTo(403);
    }

    @Test
    void forecastWaterfallMapsRangeFiltersAndAccountsPerStepAndRefusesTooMany() throws Exception {
        HttpResponse<String> response = gateway.get("/api/v1/forecast/waterfall?from=2025-03-01&to=2025-03-08"
                + "&owner=ana@example.com&accounts_per_step=1", TestKeys.FINANCE);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode waterfall = JSON.readTree(response.body());
        assertThat(waterfall.get("start").get("knownAt").asText()).isEqualTo("2025-03-01T00:00:00Z");
        assertThat(waterfall.get("end").get("expectedRevenue").get("amountMicros").asLong()).isEqualTo(10_800_000_000L);
        JsonNode added = waterfall.get("steps").get(0);
        assertThat(added.get("movement").asText()).isEqualTo("WATERFALL_MOVEMENT_NEW_TRIAL");
        assertThat(added.get("accounts").asLong()).isEqualTo(2);
        assertThat(added.get("largest")).as("accounts_per_step=1").hasSize(1);
        assertThat(backends.principalByMethod).containsEntry("GetForecastWaterfall", "finance");

        HttpResponse<String> tooMany = gateway.get("/api/v1/forecast/waterfall?from=2025-03-01&accounts_per_step=5000", TestKeys.FINANCE);
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(tooMany.body()).get("fieldViolations").toString()).contains("accounts_per_step");
        assertThat(gateway.get("/api/v1/forecast/waterfall?from=2025-03-01&size=huge", TestKeys.FINANCE).statusCode()).isEqualTo(400);
        assertThat(gateway.get("/api/v1/forecast/waterfall?from=2025-03-01", TestKeys.READER).statusCode()).isEqualTo(403);
    }

    @Test
    void forecastGroupedByPersona() throws Exception {
        HttpResponse<String> response = gateway.get("/api/v1/forecast?group_by=persona", TestKeys.FINANCE);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode forecast = JSON.readTree(response.body());
        assertThat(forecast.get("groups").findValuesAsText("persona"))
                .containsExactly("PERSONA_GOLDEN_LEAD", "PERSONA_FIZZLER", "PERSONA_HEARTBREAKER");
        assertThat(forecast.get("expectedRevenue").get("amountMicros").asText()).isEqualTo("10900000000");
        assertThat(backends.principalByMethod).containsEntry("GetForecast", "finance");

        HttpResponse<String> unknownVersion = gateway.get("/api/v1/forecast?definition_version=99", TestKeys.FINANCE);
        assertThat(unknownVersion.statusCode()).isEqualTo(404);
    }

    @Test
    void forecastLinesAsCsvWithEscapingAndDefusedFormulas() throws Exception {
        HttpResponse<String> response = gateway.get("/api/v1/forecast/lines.csv", TestKeys.FINANCE);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/csv"));
        assertThat(response.headers().firstValue("content-disposition")).hasValueSatisfying(
                value -> assertThat(value).isEqualTo("attachment; filename=\"forecast-lines-as-of-2025-03-01T00-00-00Z.csv\""));
        assertThat(response.body()).isEqualTo(String.join("\r\n",
                "account_id,account_name,owner,opportunity_size,close_month,currency,deal_size,persona,odds,approximate,"
                        + "expected_revenue,activation_level,engagement_level,communication_level,fit,definition_version,"
                        + "as_of,known_at,head_position,original_currency,original_deal_size,rate,rate_date,warning",
                "acme,\"Acme, \"\"the\"\" Corp\",ana@example.com,LARGE,2025-04,USD,12000.00,GOLDEN_LEAD,0.9,false,10800.00,"
                        + "HIGH,LOW,ACTIVE,GOOD,1,2025-03-01T00:00:00Z,,42,,,,,",
                "evil,\"'=HYPERLINK(\"\"x\"\")\",bo@example.com,LARGE,2025-04,USD,1.50,FIZZLER,0.1,false,0.15,HIGH,LOW,ACTIVE,GOOD,1,"
                        + "2025-03-01T00:00:00Z,,42,,,,,",
                "multi,\"Line\nbreak Ltd\",,LARGE,2025-04,USD,2000.00,HEARTBREAKER,0.05,false,100.00,HIGH,LOW,ACTIVE,GOOD,1,"
                        + "2025-03-01T00:00:00Z,,42,,,,,",
                ""));
    }

    @Test
    void theCsvStartsWithAByteOrderMarkWhenAskedForOrWhenExcelIsAccepted() throws Exception {
        // issue #14: without a BOM Excel shows "Société Générale" as mojibake
        assertThat(gateway.get("/api/v1/forecast/lines.csv", TestKeys.FINANCE).body()).startsWith("account_id,");
        assertThat(gateway.get("/api/v1/forecast/lines.csv?bom=true", TestKeys.FINANCE).body()).startsWith("\uFEFFaccount_id,");
        assertThat(gateway.get("/api/v1/forecast/lines.csv", TestKeys.FINANCE, "Accept", "text/csv; excel").body())
                .startsWith("\uFEFFaccount_id,");
        assertThat(gateway.get("/api/v1/forecast/lines.csv?bom=false", TestKeys.FINANCE, "Accept", "text/csv; excel").body())
                .startsWith("account_id,");
        HttpResponse<String> bad = gateway.get("/api/v1/forecast/lines.csv?bom=maybe", TestKeys.FINANCE);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("bom");
    }

    @Test
    void knownAtReachesEveryReadThatHasAsOfAndTheCsvCarriesItInItsNameAndLines() throws Exception {
        HttpResponse<String> csv = gateway.get("/api/v1/forecast/lines.csv?as_of=2025-02-25&known_at=2025-02-25T12:00:00Z",
                TestKeys.FINANCE);
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("content-disposition")).hasValue(
                "attachment; filename=\"forecast-lines-as-of-2025-02-25T00-00-00Z-known-at-2025-02-25T12-00-00Z.csv\"");
        String[] rows = csv.body().split("\r\n");
        assertThat(rows).hasSize(4);
        assertThat(rows[1]).endsWith(",2025-02-25T00:00:00Z,2025-02-25T12:00:00Z,42,,,,,");

        JsonNode forecast = JSON.readTree(gateway.get("/api/v1/forecast?known_at=2025-02-25", TestKeys.FINANCE).body());
        assertThat(forecast.get("knownAt").asText()).isEqualTo("2025-02-25T00:00:00Z");
        assertThat(forecast.get("headPosition").asText()).isEqualTo("42");

        JsonNode one = JSON.readTree(gateway.get("/api/v1/scores/initech?as_of=2025-02-20&known_at=2025-02-25",
                TestKeys.READER).body());
        assertThat(one.get("knownAt").asText()).isEqualTo("2025-02-25T00:00:00Z");
        assertThat(one.get("asOf").asText()).isEqualTo("2025-02-20T00:00:00Z");

        JsonNode page = JSON.readTree(gateway.get("/api/v1/scores?known_at=2025-02-25", TestKeys.READER).body());
        assertThat(page.get("knownAt").asText()).isEqualTo("2025-02-25T00:00:00Z");

        JsonNode metrics = JSON.readTree(gateway.get("/api/v1/metrics?known_at=2025-02-25", TestKeys.READER).body());
        assertThat(metrics.get("knownAt").asText()).isEqualTo("2025-02-25T00:00:00Z");

        HttpResponse<String> bad = gateway.get("/api/v1/forecast/lines.csv?known_at=last-tuesday", TestKeys.FINANCE);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).get("fieldViolations").get(0).get("field").asText()).isEqualTo("known_at");
    }

    @Test
    void csvFilterAndErrorsBeforeTheFirstLine() throws Exception {
        HttpResponse<String> fizzlers = gateway.get("/api/v1/forecast/lines.csv?persona=fizzler", TestKeys.FINANCE);
        assertThat(fizzlers.body().split("\r\n")).hasSize(2);

        HttpResponse<String> unknown = gateway.get("/api/v1/forecast/lines.csv?definition_version=99", TestKeys.FINANCE);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("message").asText()).isEqualTo("no definition version 99");

        HttpResponse<String> badMonth = gateway.get("/api/v1/forecast/lines.csv?close_month=April", TestKeys.FINANCE);
        assertThat(badMonth.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badMonth.body()).get("fieldViolations").get(0).get("field").asText()).isEqualTo("close_month");
    }

    @Test
    void recentTransitionsNewestFirstThenTheWatchIsCancelled() throws Exception {
        HttpResponse<String> response = gateway.get("/api/v1/transitions/recent?limit=10", TestKeys.READER);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode transitions = JSON.readTree(response.body()).get("transitions");
        assertThat(transitions.findValuesAsText("accountId")).containsExactly("acct-3", "acct-2", "acct-1");
        assertThat(transitions.get(0).get("kind").asText()).isEqualTo("TRANSITION_KIND_BECAME_PQL");
        assertThat(backends.transitionsWatchCancelled.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void spectrumPointsAndMetrics() throws Exception {
        JsonNode spectrum = JSON.readTree(gateway.get("/api/v1/spectrum", TestKeys.READER).body());
        assertThat(spectrum.get("accounts").asLong()).isEqualTo(3);
        assertThat(spectrum.get("pqls").asLong()).isEqualTo(2);
        assertThat(spectrum.get("points")).hasSize(3);
        assertThat(spectrum.get("points").get(0).get("activationRate").asDouble()).isEqualTo(0.8);
        assertThat(spectrum.get("points").get(0).get("kinds").toString()).isEqualTo("[\"CRITERIA_MET\",\"HAND_RAISER\"]");

        JsonNode limited = JSON.readTree(gateway.get("/api/v1/spectrum?limit=1", TestKeys.READER).body());
        assertThat(limited.get("points")).hasSize(1);
        assertThat(limited.get("truncated").asBoolean()).isTrue();
        assertThat(limited.get("accounts").asLong()).as("counted over every account, not the points sent").isEqualTo(3);
        assertThat(limited.get("pqls").asLong()).isEqualTo(2);

        HttpResponse<String> metrics = gateway.get("/api/v1/metrics?granularity=month", TestKeys.READER);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(metrics.body()).get("granularity").asText()).isEqualTo("GRANULARITY_MONTH");
    }

    @Test
    void theDashboardIsServedWithAStrictContentSecurityPolicy() throws Exception {
        HttpResponse<String> root = gateway.get("/", null);
        assertThat(root.statusCode()).isEqualTo(303);
        assertThat(root.headers().firstValue("location")).hasValueSatisfying(location -> assertThat(location).endsWith("/dashboard/"));

        HttpResponse<String> page = gateway.get("/dashboard/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<canvas id=\"spectrum\"", "/dashboard/app.js", "/dashboard/leads.js", "/dashboard/account.js");
        assertThat(gateway.get("/dashboard/spectrum.js", null).statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("/dashboard/forecast-history.js", "id=\"forecast-filters\"");
        assertThat(gateway.get("/dashboard/forecast-history.js", null).statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-security-policy")).hasValueSatisfying(
                csp -> assertThat(csp).contains("script-src 'self'"));

        assertThat(gateway.get("/dashboard/app.js", null).body()).contains("X-Api-Key");
        assertThat(gateway.get("/dashboard/../config.yml", null).statusCode()).isEqualTo(404);
        assertThat(gateway.get("/dashboard/secret.txt", null).statusCode()).isEqualTo(404);
    }
}
