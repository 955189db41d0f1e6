package pql.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.gateway.support.FakeBackends;
import pql.gateway.support.RunningGateway;
import pql.gateway.support.TestKeys;

/** The dashboard's server-side reads (spectrum density, a cell's leads, an account's days), against fake backends. */
class GatewayDashboardApiTest {

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

    private static JsonNode ok(String path) throws Exception {
        HttpResponse<String> response = gateway.get(path, TestKeys.READER);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    @Test
    void theDensityCountsEveryAccountIntoItsCellAndCarriesTheThresholds() throws Exception {
        JsonNode density = ok("/api/v1/dashboard/spectrum?bins=20");

        assertThat(density.get("accounts").asLong()).isEqualTo(3);
        assertThat(density.get("pqls").asLong()).isEqualTo(2);
        assertThat(density.get("bins").asInt()).isEqualTo(20);
        assertThat(density.get("thresholds").get("SMALL").asDouble()).isEqualTo(0.75);
        assertThat(density.get("thresholds").get("MID").asDouble()).isEqualTo(0.5);
        assertThat(density.get("thresholds").get("LARGE").asDouble()).isEqualTo(0.25);
        // acme: activation 0.8, percentile 91 → cell (16, 18), a PQL
        assertThat(density.get("cells").toString()).contains(
                "{\"activationBin\":16,\"percentileBin\":18,\"size\":\"MID\",\"accounts\":1,\"pqls\":1}");
        long sum = 0;
        for (JsonNode cell : density.get("cells")) {
            sum += cell.get("accounts").asLong();
        }
        assertThat(sum).isEqualTo(3);
    }

    @Test
    void theMetricsPqlCountIsTheDashboards() throws Exception {
        JsonNode density = ok("/api/v1/dashboard/spectrum");
        JsonNode metrics = ok("/api/v1/metrics");
        JsonNode pqls = ok("/api/v1/scores?pql_only=true&page_size=1");
        assertThat(metrics.get("pqls").asLong()).isEqualTo(density.get("pqls").asLong())
                .isEqualTo(pqls.get("totalSize").asLong());
    }

    @Test
    void aCellsLeadsAreFilteredAndPagedWithTheTotal() throws Exception {
        JsonNode cell = ok("/api/v1/dashboard/spectrum/leads?bins=20&activation_bin=16&percentile_bin=18");
        assertThat(cell.get("totalSize").asText()).isEqualTo("1");
        assertThat(cell.get("scores").get(0).get("accountId").asText()).isEqualTo("acme");

        assertThat(ok("/api/v1/dashboard/spectrum/leads?activation_bin=16&owner=ANA@example.com").get("totalSize").asText())
                .isEqualTo("1");
        JsonNode nobodys = ok("/api/v1/dashboard/spectrum/leads?activation_bin=16&owner=bo");
        assertThat(nobodys.path("totalSize").asLong()).isZero();
        assertThat(nobodys.path("scores")).isEmpty();

        JsonNode page = ok("/api/v1/dashboard/spectrum/leads?page_size=2");
        assertThat(page.get("totalSize").asText()).isEqualTo("3");
        assertThat(page.get("scores")).hasSize(2);
        assertThat(page.get("nextPageToken").asText()).isEqualTo("2");
        assertThat(ok("/api/v1/dashboard/spectrum/leads?page_size=2&page_token=2").get("scores")).hasSize(1);
    }

    @Test
    void badBinsAre400() throws Exception {
        HttpResponse<String> response = gateway.get("/api/v1/dashboard/spectrum/leads?bins=1&activation_bin=x&status=won",
                TestKeys.READER);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("fieldViolations").findValuesAsText("field"))
                .containsExactlyInAnyOrder("bins", "activation_bin", "status");
    }

    @Test
    void anAccountsDaysAreItsAsOfReadsAtTheEndOfEachDay() throws Exception {
        JsonNode days = ok("/api/v1/dashboard/accounts/acme/days?to=2025-03-10&days=3").get("days");

        assertThat(days).hasSize(3);
        assertThat(days.findValuesAsText("date")).containsExactly("2025-03-08", "2025-03-09", "2025-03-10");
        assertThat(days.get(2).get("activationRate").asDouble()).isEqualTo(0.8);
        assertThat(days.get(2).get("engagementPercentile").asDouble()).isEqualTo(91);
        assertThat(days.get(2).get("pql").asBoolean()).isTrue();
    }

    @Test
    void anAccountsDaysStartAtItsFirstEvent() throws Exception {
        // initech was first seen on 2025-03-08: scoring knows nothing of it before
        JsonNode days = ok("/api/v1/dashboard/accounts/initech/days?to=2025-03-10&days=30").get("days");
        assertThat(days.findValuesAsText("date")).containsExactly("2025-03-08", "2025-03-09", "2025-03-10");
    }

    @Test
    void daysOfAnUnknownAccountAre404AndOutOfRangeDaysAre400() throws Exception {
        assertThat(gateway.get("/api/v1/dashboard/accounts/nobody/days", TestKeys.READER).statusCode()).isEqualTo(404);
        assertThat(gateway.get("/api/v1/dashboard/accounts/acme/days?days=0", TestKeys.READER).statusCode()).isEqualTo(400);
        assertThat(gateway.get("/api/v1/dashboard/accounts/acme/days", null).statusCode()).isEqualTo(401);
    }
}
