package pql.allinone.support;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import pql.allinone.AllInOneApp;
import pql.allinone.SuiteFactory;

/**
 * The all-in-one started as the README starts it: its main class's application with the bundled
 * all-in-one/config.yml, only ports (0 = free) and the data directory overridden, through the
 * same {@code dw.*} overrides an operator can use.
 */
public final class RunningAllInOne implements AutoCloseable {

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final AllInOneApp app;
    private final ManagedChannel channel;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public RunningAllInOne(SuiteFactory suite, Path dataDirectory, Map<String, String> moreOverrides) throws Exception {
        this(suite, dataDirectory, moreOverrides, bundledConfig());
    }

    /** With another config file, e.g. a copy of the bundled one with more API keys. */
    public RunningAllInOne(SuiteFactory suite, Path dataDirectory, Map<String, String> moreOverrides, Path config) throws Exception {
        PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
        app = new AllInOneApp(suite, out) {
            @Override
            protected void onFatalError(Throwable t) {
                throw new IllegalStateException("the all-in-one did not start", t);
            }
        };
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("server.applicationConnectors[0].port", "0");
        overrides.put("server.adminConnectors[0].port", "0");
        overrides.put("grpc.port", "0");
        overrides.put("eventStore.directory", dataDirectory.resolve("events").toString());
        overrides.put("scoring.dataDirectory", dataDirectory.resolve("scoring").toString());
        overrides.put("sampleData.stateFile", dataDirectory.resolve("sample-data.state").toString());
        overrides.put("auth.localKey.file", dataDirectory.resolve("local-api-key").toString());
        overrides.put("proxy.healthPeriodSeconds", "1");
        overrides.putAll(moreOverrides);
        overrides.forEach((key, value) -> System.setProperty("dw." + key, value));
        try {
            app.run("server", config.toString());
        } finally {
            overrides.keySet().forEach(key -> System.clearProperty("dw." + key));
        }
        channel = NettyChannelBuilder.forAddress("127.0.0.1", app.gateway().grpcServer().port()).usePlaintext()
                .maxInboundMessageSize(64 * 1024 * 1024).build();
    }

    /** all-in-one/config.yml, wherever the tests run from (the module or the project root). */
    public static Path bundledConfig() {
        Path here = Path.of("").toAbsolutePath();
        return here.endsWith("all-in-one") ? here.resolve("config.yml") : here.resolve("all-in-one").resolve("config.yml");
    }

    public AllInOneApp app() {
        return app;
    }

    public ManagedChannel channel() {
        return channel;
    }

    public String localKey() {
        return app.gateway().localKey();
    }

    /** A stub made by {@code newStub} on the gateway channel, with the local key and a 30 s deadline per call. */
    public <S extends io.grpc.stub.AbstractStub<S>> S stub(java.util.function.Function<io.grpc.Channel, S> newStub) {
        return newStub.apply(channel).withCallCredentials(pql.gateway.support.RunningGateway.bearer(localKey()))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    /** Waits (at most 90 s) until scoring lists {@code accounts} accounts; UNAVAILABLE while it catches up. */
    public RunningAllInOne awaitScored(int accounts) throws InterruptedException {
        return awaitScored(accounts, java.time.Duration.ofSeconds(90));
    }

    /** Waits (at most {@code within}) until scoring lists {@code accounts} accounts. */
    public RunningAllInOne awaitScored(int accounts, java.time.Duration within) throws InterruptedException {
        long giveUp = System.nanoTime() + within.toNanos();
        while (true) {
            try {
                if (stub(pql.v1.ScoringServiceGrpc::newBlockingStub).listAccountScores(
                        pql.v1.ListAccountScoresRequest.newBuilder().setPageSize(1).build()).getTotalSize() >= accounts) {
                    return this;
                }
            } catch (io.grpc.StatusRuntimeException notYet) {
                // UNAVAILABLE while scoring catches up
            }
            if (System.nanoTime() > giveUp) {
                throw new IllegalStateException("the sample was not scored within " + within.toSeconds() + " s");
            }
            Thread.sleep(250);
        }
    }

    public String consoleOutput() {
        return console.toString(StandardCharsets.UTF_8);
    }

    public URI http(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + app.httpPort() + pathAndQuery);
    }

    public HttpResponse<String> get(String pathAndQuery, String apiKey) throws Exception {
        return send(HttpRequest.newBuilder(http(pathAndQuery)).GET(), apiKey);
    }

    /** A POST of a JSON body (the generic route {@code /api/v1/rpc/...}). */
    public HttpResponse<String> post(String pathAndQuery, String apiKey, String json) throws Exception {
        return send(HttpRequest.newBuilder(http(pathAndQuery)).POST(HttpRequest.BodyPublishers.ofString(json)), apiKey);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String apiKey) throws Exception {
        request.timeout(Duration.ofSeconds(30));
        if (apiKey != null) {
            request.header("X-Api-Key", apiKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request to the admin port, with {@code X-Api-Key} unless {@code apiKey} is null. */
    public HttpResponse<String> admin(String method, String pathAndQuery, String apiKey) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.adminConnector().getLocalPort() + pathAndQuery))
                .timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.noBody());
        if (apiKey != null) {
            request.header("X-Api-Key", apiKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        app.stop();
    }
}
