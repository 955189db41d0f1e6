package pql.allinone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.inprocess.InProcessChannelBuilder;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pql.allinone.sample.SampleDataGenerator;
import pql.allinone.sample.SampleTruth;
import pql.common.service.ServiceApplication;
import pql.common.service.ServiceLifecycle;
import pql.common.telemetry.Telemetry;
import pql.eventstore.EventStore;
import pql.eventstore.StreamVersions;
import pql.gateway.Gateway;
import pql.gateway.auth.ApiKeyRegistry;
import pql.gateway.auth.ApiKeys;
import pql.gateway.auth.Scope;

/**
 * The four services in one JVM on the embedded store: ingest, scoring and forecast each behind
 * an in-process gRPC server, the gateway in front of them on the public port. On the first start
 * (empty store) it loads the sample dataset through the gateway, then prints where everything is.
 */
public class AllInOneApp extends ServiceApplication<AllInOneConfig> {

    private static final Logger LOG = LoggerFactory.getLogger(AllInOneApp.class);

    private final SuiteFactory suite;
    private final PrintStream console;
    private volatile Gateway gateway;
    private volatile Server jetty;
    private volatile SampleLoader.Result sampleLoaded;
    private volatile String storeDirectory;

    public AllInOneApp(SuiteFactory suite, PrintStream console) {
        this.suite = suite;
        this.console = console;
    }

    @Override
    public String getName() {
        return "pql-all-in-one";
    }

    @Override
    protected void wire(AllInOneConfig config, Environment environment, ServiceLifecycle lifecycle) throws Exception {
        Telemetry telemetry = lifecycle.telemetry();
        Clock clock = Clock.systemUTC();
        EventStore store = lifecycle.opened(config.getEventStore().open());
        storeDirectory = config.getEventStore().getDirectory();
        // Before any service writes (scoring may record its first definition on start).
        boolean firstStart = store.headPosition() == StreamVersions.BEFORE_FIRST_POSITION;
        environment.healthChecks().register("event-store", new com.codahale.metrics.health.HealthCheck() {
            @Override
            protected Result check() {
                return store.isAvailable() ? Result.healthy(store.engineName()) : Result.unhealthy(store.engineName() + " unavailable");
            }
        });

        SuiteFactory.SettingsBinder binder = settingsBinder(environment.getObjectMapper(), environment.getValidator());
        int maxMessage = config.getProxy().getMaxResponseBytes();
        // ingest's call threads, one per core, yield to the reads' when the cores are short (InProcessModule)
        InProcessModule ingest = new InProcessModule(suite.ingest(config, binder, store, telemetry, clock), telemetry, maxMessage,
                Thread.MIN_PRIORITY, Runtime.getRuntime().availableProcessors());
        InProcessModule scoring = new InProcessModule(suite.scoring(config, binder, store, telemetry, clock), telemetry, maxMessage,
                Thread.MAX_PRIORITY, 0);
        ManagedChannel ingestChannel = lifecycle.opened(ingest.gatewayChannel());
        ManagedChannel scoringChannel = lifecycle.opened(scoring.gatewayChannel());
        // forecast-service reads scores over gRPC, traced like any other hop, on a channel of its
        // own: its callbacks are its business, the gateway's channels run them on the answering thread.
        ManagedChannel forecastScoringChannel = lifecycle.opened(scoring.channel());
        InProcessModule forecast = new InProcessModule(suite.forecast(config, binder,
                io.grpc.ClientInterceptors.intercept(forecastScoringChannel, telemetry.clientInterceptor()), telemetry, clock),
                telemetry, maxMessage, Thread.MAX_PRIORITY, 0);
        ManagedChannel forecastChannel = lifecycle.opened(forecast.gatewayChannel());
        for (InProcessModule module : List.of(ingest, scoring, forecast)) {
            lifecycle.process(module.module());
            lifecycle.serve(module);
            module.module().registerMetrics(environment.metrics());
            module.module().healthChecks().forEach((name, check) -> environment.healthChecks().register(
                    module.module().name() + "-" + name, check));
        }

        // The sample loader has its own key, kept in memory only, that may do nothing but ingest.
        String loaderKey = ApiKeys.generate();
        ApiKeyRegistry keys = ApiKeyRegistry.of(config.getAuth().getApiKeys()).with("sample-loader", loaderKey, EnumSet.of(Scope.INGEST_WRITE));
        gateway = Gateway.install(config, environment, lifecycle, keys, ingestChannel, scoringChannel, forecastChannel);

        SampleLoadState loadState = new SampleLoadState(java.nio.file.Path.of(config.getSampleData().getStateFile()));
        java.util.Optional<Instant> unfinished = loadState.unfinished();
        if (unfinished.isPresent() || firstStart && config.getSampleData().isLoadOnFirstStart()) {
            Instant anchor = unfinished.orElseGet(() -> anchorOf(config.getSampleData()));
            environment.lifecycle().manage(new Managed() {
                @Override
                public void start() throws Exception {
                    loadState.loading(anchor);
                    loadSample(config.getSampleData(), anchor, loaderKey, unfinished.isPresent());
                    loadState.done(anchor);
                }
            });
        }
        environment.lifecycle().addServerLifecycleListener(server -> {
            jetty = server;
            printBanner(config);
        });
    }

    private static Instant anchorOf(SampleDataConfig sample) {
        return sample.getAnchor().equalsIgnoreCase("now") ? Instant.now() : Instant.parse(sample.getAnchor());
    }

    private void loadSample(SampleDataConfig sample, Instant anchor, String loaderKey, boolean resuming)
            throws InterruptedException, java.io.IOException {
        var events = SampleDataGenerator.generate(sample.getAccounts(), sample.getSeed(), anchor);
        // The planted truth beside the load state, to check what 'pql definitions suggest' finds.
        java.nio.file.Path truth = SampleTruth.besides(java.nio.file.Path.of(sample.getStateFile()));
        SampleTruth.write(truth, sample.getAccounts(), sample.getSeed(), anchor);
        console.printf(Locale.ROOT, "The sample's planted truth (predictors, noise actions): %s%n", truth);
        console.printf(Locale.ROOT, "%s the sample dataset (%,d events of %,d accounts) through the gateway...%n",
                resuming ? "Resuming an interrupted load of" : "Empty store: loading", events.size(), sample.getAccounts());
        ManagedChannel channel = InProcessChannelBuilder.forName(gateway.grpcServer().inProcessName()).build();
        try {
            sampleLoaded = SampleLoader.load(channel, bearer(loaderKey), events);
        } finally {
            channel.shutdownNow();
            channel.awaitTermination(5, TimeUnit.SECONDS);
        }
        LOG.info("sample loaded: {} accepted, {} duplicates, {} rejected in {} s", sampleLoaded.accepted(),
                sampleLoaded.duplicates(), sampleLoaded.rejected(), String.format(Locale.ROOT, "%.1f", sampleLoaded.seconds()));
    }

    private void printBanner(AllInOneConfig config) {
        ReadsUnderLoad readsUnderLoad = ReadsUnderLoad.ofThisJvm();
        if (!readsUnderLoad.readsFirst()) {
            LOG.warn("{}", readsUnderLoad.describe());
        }
        String host = displayHost(gateway.grpcServer().host());
        int httpPort = httpPort();
        String scheme = config.getGrpc().getTls().isEnabled() ? " (TLS)" : "";
        StringBuilder banner = new StringBuilder();
        banner.append(System.lineSeparator())
                .append("PQL Suite all-in-one is running: ingest, scoring, forecast and the gateway in one JVM").append(System.lineSeparator())
                .append("  event store  embedded, ").append(storeDirectory).append(System.lineSeparator())
                .append("  gRPC API     ").append(host).append(':').append(gateway.grpcServer().port()).append(scheme)
                .append("   (reflection and grpc.health.v1 open)").append(System.lineSeparator())
                .append("  HTTP API     http://").append(host).append(':').append(httpPort).append("/api/v1/   (header X-Api-Key)")
                .append(System.lineSeparator());
        String key = gateway.localKey();
        if (key != null) {
            banner.append("  dashboard    http://").append(host).append(':').append(httpPort).append("/dashboard/?key=").append(key)
                    .append(System.lineSeparator())
                    .append("  local key    ").append(key).append("   (every scope; saved in ")
                    .append(config.getAuth().getLocalKey().getFile()).append(", which the pql CLI reads)").append(System.lineSeparator());
        } else {
            banner.append("  dashboard    http://").append(host).append(':').append(httpPort).append("/dashboard/?key=<your key>")
                    .append(System.lineSeparator());
        }
        if (sampleLoaded != null) {
            banner.append(String.format(Locale.ROOT, "  sample data  %,d events accepted (%,d duplicates, %,d rejected) in %.1f s; scores follow within seconds%n",
                    sampleLoaded.accepted(), sampleLoaded.duplicates(), sampleLoaded.rejected(), sampleLoaded.seconds()));
        }
        banner.append("  under load   ").append(readsUnderLoad.describe()).append(System.lineSeparator());
        banner.append("  try          ./pql scores --pql-only   |   ./pql forecast --group-by persona").append(System.lineSeparator());
        console.print(banner);
        console.flush();
    }

    private static String displayHost(String host) {
        return host.equals("0.0.0.0") || host.equals("127.0.0.1") || host.equals("::") ? "localhost" : host;
    }

    private SuiteFactory.SettingsBinder settingsBinder(ObjectMapper mapper, Validator validator) {
        return new SuiteFactory.SettingsBinder() {
            @Override
            public <T> T bind(JsonNode section, Class<T> type, String sectionName) {
                T settings;
                try {
                    settings = mapper.treeToValue(section, type);
                } catch (Exception e) {
                    throw new IllegalArgumentException(sectionName + ": " + e.getMessage(), e);
                }
                Set<ConstraintViolation<T>> violations = validator.validate(settings);
                if (!violations.isEmpty()) {
                    throw new IllegalArgumentException(sectionName + " has errors: " + violations.stream()
                            .map(v -> v.getPropertyPath() + " " + v.getMessage()).sorted().collect(Collectors.joining("; ")));
                }
                return settings;
            }
        };
    }

    private static io.grpc.CallCredentials bearer(String key) {
        return new io.grpc.CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
                Metadata headers = new Metadata();
                headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + key);
                applier.apply(headers);
            }
        };
    }

    public Gateway gateway() {
        return gateway;
    }

    /** The first start's sample load, null when nothing was loaded. */
    public SampleLoader.Result sampleLoaded() {
        return sampleLoaded;
    }

    public int httpPort() {
        for (var connector : jetty.getConnectors()) {
            if (connector instanceof org.eclipse.jetty.server.NetworkConnector network && "application".equals(connector.getName())) {
                return network.getLocalPort();
            }
        }
        return ((org.eclipse.jetty.server.NetworkConnector) jetty.getConnectors()[0]).getLocalPort();
    }

    /** The admin connector (tasks, threads, metrics behind an admin key), for tests and tools. */
    public org.eclipse.jetty.server.NetworkConnector adminConnector() {
        for (var connector : jetty.getConnectors()) {
            if (connector instanceof org.eclipse.jetty.server.NetworkConnector network && "admin".equals(connector.getName())) {
                return network;
            }
        }
        throw new IllegalStateException("no admin connector");
    }

    public void stop() throws Exception {
        if (jetty != null) {
            jetty.stop();
        }
    }
}
