package pql.gateway.support;

import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import pql.gateway.GatewayApp;

/** The distributed gateway app run in this JVM against {@link FakeBackends}, from a YAML file. */
public final class RunningGateway implements AutoCloseable {

    private final GatewayApp app = new GatewayApp() {
        @Override
        protected void onFatalError(Throwable t) {
            throw new IllegalStateException("the gateway did not start", t);
        }
    };
    private final ManagedChannel channel;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public RunningGateway(FakeBackends backends, Path directory) throws Exception {
        this(backends, directory, "logging:\n  level: WARN\n");
    }

    /** @param loggingYaml the whole {@code logging:} section */
    public RunningGateway(FakeBackends backends, Path directory, String loggingYaml) throws Exception {
        Path config = directory.resolve("gateway-test.yml");
        Files.writeString(config, """
                server:
                  applicationConnectors: [{type: http, bindHost: 127.0.0.1, port: 0}]
                  adminConnectors: [{type: http, bindHost: 127.0.0.1, port: 0}]
                  requestLog: {appenders: []}
                %s
                grpc:
                  host: 127.0.0.1
                  port: 0
                proxy:
                  healthPeriodSeconds: 1
                backends:
                  ingest: {target: "%s"}
                  scoring: {target: "%s"}
                  forecast: {target: "%s"}
                """.formatted(loggingYaml, backends.target(backends.ingest), backends.target(backends.scoring),
                backends.target(backends.forecast)) + TestKeys.authYaml());
        app.run("server", config.toString());
        channel = NettyChannelBuilder.forAddress("127.0.0.1", app.gateway().grpcServer().port()).usePlaintext().build();
    }

    public ManagedChannel channel() {
        return channel;
    }

    public GatewayApp app() {
        return app;
    }

    public URI http(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + app.httpPort() + pathAndQuery);
    }

    /** A request to the admin port, with {@code X-Api-Key} unless {@code apiKey} is null. */
    public HttpResponse<String> admin(String method, String pathAndQuery, String apiKey) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.adminPort() + pathAndQuery))
                .timeout(Duration.ofSeconds(20)).method(method, HttpRequest.BodyPublishers.noBody());
        if (apiKey != null) {
            request.header("X-Api-Key", apiKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String pathAndQuery, String apiKey) throws Exception {
        return get(pathAndQuery, apiKey, new String[0]);
    }

    /** A GET with extra headers, given as name, value, name, value... */
    public HttpResponse<String> get(String pathAndQuery, String apiKey, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(http(pathAndQuery)).timeout(Duration.ofSeconds(20)).GET();
        if (apiKey != null) {
            request.header("X-Api-Key", apiKey);
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A POST of a JSON body (the generic RPC route), with {@code X-Api-Key} unless {@code apiKey} is null. */
    public HttpResponse<String> post(String pathAndQuery, String apiKey, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(http(pathAndQuery)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (apiKey != null) {
            request.header("X-Api-Key", apiKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Call credentials sending {@code authorization: Bearer <key>}, as the CLI does. */
    public static CallCredentials bearer(String key) {
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
                Metadata headers = new Metadata();
                headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + key);
                applier.apply(headers);
            }
        };
    }

    @Override
    public void close() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        app.stop();
    }
}
