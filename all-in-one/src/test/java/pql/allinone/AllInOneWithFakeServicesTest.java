package pql.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.allinone.support.Chromium;
import pql.allinone.support.FakeSuite;
import pql.allinone.support.RunningAllInOne;
import pql.gateway.support.FakeBackends;
import pql.v1.ListAccountScoresRequest;
import pql.v1.ScoringServiceGrpc;

/**
 * The all-in-one's own machinery (in-process servers per module, local key, sample loading
 * through the gateway, banner) and the dashboard in real headless Chromium, with fake services.
 */
class AllInOneWithFakeServicesTest {

    @TempDir
    static Path directory;
    static FakeBackends fakes;
    static RunningAllInOne allInOne;

    @BeforeAll
    static void start() throws Exception {
        fakes = new FakeBackends();
        allInOne = new RunningAllInOne(new FakeSuite(fakes), directory, Map.of("sampleData.accounts", "40"));
    }

    @AfterAll
    static void stop() throws Exception {
        allInOne.close();
        fakes.close();
    }

    @Test
    void theStartPrintsTheApiTheDashboardWithTheKeyAndTheKey() {
        String console = allInOne.consoleOutput();
        String key = allInOne.localKey();
        assertThat(key).startsWith("pql_");
        assertThat(console).contains("gRPC API     localhost:" + allInOne.app().gateway().grpcServer().port());
        assertThat(console).contains("dashboard    http://localhost:" + allInOne.app().httpPort() + "/dashboard/?key=" + key);
        assertThat(console).contains("local key    " + key);
        assertThat(console).contains("Empty store: loading the sample dataset");
    }

    @Test
    void theLocalKeyIsKeptOwnerOnlyAndWorksForGrpc() throws Exception {
        Path file = directory.resolve("local-api-key");
        assertThat(Files.readString(file).trim()).isEqualTo(allInOne.localKey());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

        var response = ScoringServiceGrpc.newBlockingStub(allInOne.channel())
                .withCallCredentials(pql.gateway.support.RunningGateway.bearer(allInOne.localKey()))
                .listAccountScores(ListAccountScoresRequest.getDefaultInstance());
        assertThat(response.getScoresCount()).isEqualTo(3);
        assertThat(fakes.principalByMethod).containsEntry("ListAccountScores", "local");
    }

    @Test
    void theSampleWentThroughTheGatewaysIngestService() {
        SampleLoader.Result loaded = allInOne.app().sampleLoaded();
        assertThat(loaded).isNotNull();
        assertThat(loaded.accepted()).isGreaterThan(1000);
        assertThat(fakes.principalByMethod).containsEntry("IngestStream", "sample-loader");
    }

    @Test
    void theFinishedLoadIsRemembered() throws Exception {
        String state = Files.readString(directory.resolve("sample-data.state"));
        assertThat(state).contains("status=done").contains("anchor=");
    }

    @Test
    void aLoadKilledHalfWayIsResumedWithItsAnchor(@TempDir Path other) throws Exception {
        Files.writeString(other.resolve("sample-data.state"), "status=loading\nanchor=2025-06-30T12\\:00\\:00Z\n");
        try (RunningAllInOne second = new RunningAllInOne(new FakeSuite(fakes), other, Map.of("sampleData.accounts", "10"))) {
            assertThat(second.consoleOutput()).contains("Resuming an interrupted load of the sample dataset");
            assertThat(second.app().sampleLoaded().accepted()).isPositive();
            assertThat(Files.readString(other.resolve("sample-data.state"))).contains("status=done", "anchor=2025-06-30T12\\:00\\:00Z");
        }
    }

    @Test
    void theDashboardRendersInChromium() throws Exception {
        String url = allInOne.http("/dashboard/?key=" + allInOne.localKey()).toString();
        String dom = Chromium.dumpDom(url, directory);

        assertThat(dom).contains("data-state=\"ready\"");
        assertThat(dom).contains("data-drawn-accounts=\"3\"", "id=\"count-pqls\" class=\"count\" data-value=\"2\"");
        assertThat(count(dom, "class=\"lead-row\"")).isEqualTo(3);
        assertThat(count(dom, "class=\"persona-row\"")).isEqualTo(7);
        assertThat(dom).contains("data-persona=\"GOLDEN_LEAD\"", "Account 3");
        assertThat(dom).doesNotContain(allInOne.localKey());

        Path png = Path.of("target", "dashboard-fake-services.png");
        Files.createDirectories(png.getParent());
        Chromium.screenshot(url, png, directory);
        assertThat(Chromium.brightnessDeviation(png)).as("a page with content, not a blank one").isGreaterThan(20);
        assertThat(Chromium.orangePixels(png)).as("PQL cells drawn").isGreaterThan(20);
    }

    @Test
    void withoutAKeyTheDashboardAsksForOne() throws Exception {
        String dom = Chromium.dumpDom(allInOne.http("/dashboard/").toString(), directory);
        assertThat(dom).contains("data-state=\"needs-key\"");
        HttpResponse<String> api = allInOne.get("/api/v1/spectrum", null);
        assertThat(api.statusCode()).isEqualTo(401);
    }

    private static int count(String text, String needle) {
        Matcher matcher = Pattern.compile(Pattern.quote(needle)).matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }
}
