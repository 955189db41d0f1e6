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
import pql.allinone.support.ChromiumPage;
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
    void theForecastHistoryAndWaterfallDrawAndFollowTheForecastFilters() throws Exception {
        String url = allInOne.http("/dashboard/?key=" + allInOne.localKey()).toString();
        try (ChromiumPage page = new ChromiumPage(directory, 1280, 900)) {
            page.open(url, "ready");
            waitForCharts(page);

            assertThat(page.evaluate("[...document.querySelectorAll('#forecast-filters [name]')].map(e => e.name + ':' + e.type).join(',')"))
                    .isEqualTo("owner:search,size:select-one,close_month:month");
            assertThat(page.evaluate("document.getElementById('forecast-history-chart').getAttribute('data-points')"))
                    .as("the fake's weekly points over the last 12 weeks").isEqualTo("13");
            assertThat(page.evaluate("document.querySelectorAll('#forecast-history-chart .history-point').length")).isEqualTo("13");
            assertThat(page.evaluate("[...document.querySelectorAll('.waterfall-bar')].map(g => g.getAttribute('data-movement')"
                    + " + ' ' + g.getAttribute('class').split(' ')[1]).join(',')"))
                    .as("start, the non-empty steps with their sign, end; the empty deal-size step left out")
                    .isEqualTo("START total,NEW_TRIAL up,CLOSED_WON down,PERSONA_UP up,END total");
            assertThat(page.evaluate("document.querySelector('[data-movement=END] title').textContent")).contains("$10,900");

            page.evaluate("(() => { const f = document.getElementById('forecast-filters'); f.elements.owner.value = 'ana@example.com';"
                    + " f.dispatchEvent(new Event('change')); return ''; })()");
            waitFor(page, "document.querySelector('[data-movement=END] title').textContent.includes('$10,800')");
            waitForCharts(page);
            assertThat(page.evaluate("document.querySelector('#forecast-history-chart circle:last-of-type title').textContent"))
                    .as("ana's line plus the fake's weekly rise").contains("$11,400");

            page.evaluate("document.querySelectorAll('main > section:not(.forecast-panel):not(.forecast-history-panel)')"
                    + ".forEach(s => s.hidden = true)");
            Path png = Path.of("target", "dashboard-forecast-history.png");
            Files.createDirectories(png.getParent());
            page.screenshot(png);
            assertThat(Chromium.brightnessDeviation(png)).as("a page with content").isGreaterThan(20);
        }
        try (ChromiumPage phone = new ChromiumPage(directory, 390, 844)) {
            phone.open(url, "ready");
            waitForCharts(phone);
            assertThat(Integer.parseInt(phone.evaluate("String(document.documentElement.scrollWidth)")))
                    .as("no sideways scroll at 390 px").isLessThanOrEqualTo(390);
            phone.evaluate("document.querySelectorAll('main > section:not(.forecast-panel):not(.forecast-history-panel)')"
                    + ".forEach(s => s.hidden = true)");
            phone.screenshot(Path.of("target", "dashboard-forecast-history-390.png"));
        }
    }

    private static void waitForCharts(ChromiumPage page) throws Exception {
        waitFor(page, "['forecast-history-chart', 'forecast-waterfall-chart']"
                + ".every(id => document.getElementById(id).getAttribute('data-state') === 'ready')");
    }

    private static void waitFor(ChromiumPage page, String condition) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!"true".equals(page.evaluate("String(" + condition + ")"))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + condition + "\n" + page.evaluate(
                        "document.getElementById('forecast-history-panel') ? '' : document.querySelector('.forecast-history-panel').outerHTML"));
            }
            Thread.sleep(50);
        }
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
