package pql.allinone.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Headless Chromium driven over the DevTools protocol, for what the command line cannot do:
 * a viewport under 500 px (headless windows are at least 500 wide; a phone is 390), and timing
 * a page in real time rather than virtual time. One browser per page, closed with it.
 */
public final class ChromiumPage implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final WebSocket socket;
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    /** A browser whose page is {@code width} × {@code height} CSS pixels (mobile emulation under 500). */
    public ChromiumPage(Path workDirectory, int width, int height) throws Exception {
        if (!Files.isExecutable(Chromium.BINARY)) {
            throw new AssertionError("Chromium is missing at " + Chromium.BINARY + ": install it with 'apt-get install -y chromium'");
        }
        Path profile = Files.createTempDirectory(workDirectory, "chromium-devtools");
        process = new ProcessBuilder(List.of(Chromium.BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--remote-debugging-port=0", "--remote-allow-origins=*",
                "--user-data-dir=" + profile, "about:blank"))
                .redirectErrorStream(true).redirectOutput(workDirectory.resolve("chromium-devtools.log").toFile()).start();
        int port = devToolsPort(profile.resolve("DevToolsActivePort"));
        HttpClient http = HttpClient.newHttpClient();
        JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                .build(), HttpResponse.BodyHandlers.ofString()).body());
        String pageSocket = null;
        for (JsonNode target : targets) {
            if ("page".equals(target.path("type").asText())) {
                pageSocket = target.get("webSocketDebuggerUrl").asText();
            }
        }
        if (pageSocket == null) {
            throw new AssertionError("no page target in " + targets);
        }
        socket = http.newWebSocketBuilder().buildAsync(URI.create(pageSocket), new Replies()).get(30, TimeUnit.SECONDS);
        ObjectNode metrics = JSON.createObjectNode().put("width", width).put("height", height)
                .put("deviceScaleFactor", 1).put("mobile", width < 500);
        call("Emulation.setDeviceMetricsOverride", metrics);
    }

    /** Opens {@code url} and waits until the body's {@code data-state} is one of {@code states}; returns the milliseconds it took. */
    public long open(String url, String... states) throws Exception {
        long started = System.nanoTime();
        call("Page.navigate", JSON.createObjectNode().put("url", url));
        long deadline = started + STEP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String state = evaluate("document.body ? document.body.getAttribute('data-state') : ''");
            if (List.of(states).contains(state)) {
                return (System.nanoTime() - started) / 1_000_000;
            }
            Thread.sleep(25);
        }
        throw new AssertionError(url + " did not reach " + List.of(states) + " in " + STEP_TIMEOUT);
    }

    /** A JavaScript expression's value, as text. */
    public String evaluate(String expression) throws Exception {
        JsonNode result = call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression).put("returnByValue", true));
        return result.path("result").path("value").asText();
    }

    public String dom() throws Exception {
        return evaluate("document.documentElement.outerHTML");
    }

    /** The whole page (not only the viewport) as a PNG. */
    public void screenshot(Path png) throws Exception {
        JsonNode shot = call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", true));
        Files.write(png, Base64.getDecoder().decode(shot.get("data").asText()));
    }

    private JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        socket.sendText(JSON.createObjectNode().put("id", id).put("method", method).set("params", params).toString(), true)
                .get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        JsonNode answer = reply.get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (answer.has("error")) {
            throw new AssertionError(method + ": " + answer.get("error"));
        }
        return answer.path("result");
    }

    private static int devToolsPort(Path file) throws Exception {
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file);
                if (!lines.isEmpty() && !lines.get(0).isBlank()) {
                    return Integer.parseInt(lines.get(0).trim());
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("chromium wrote no " + file);
    }

    @Override
    public void close() throws Exception {
        socket.abort();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /** Replies by id complete their calls; events are not needed. */
    private final class Replies implements WebSocket.Listener {
        private final StringBuilder message = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
                try {
                    JsonNode reply = JSON.readTree(message.toString());
                    CompletableFuture<JsonNode> waiting = reply.has("id") ? pending.remove(reply.get("id").asInt()) : null;
                    if (waiting != null) {
                        waiting.complete(reply);
                    }
                } catch (Exception e) {
                    pending.values().forEach(call -> call.completeExceptionally(e));
                }
                message.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }
}
