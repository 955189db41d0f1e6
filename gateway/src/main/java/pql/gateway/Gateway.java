package pql.gateway;

import io.dropwizard.core.setup.Environment;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import pql.common.admin.AdminAccess;
import pql.common.admin.AdminAuthFilter;
import pql.common.grpc.ErrorInfoInterceptor;
import pql.common.grpc.GrpcCallMetrics;
import pql.common.service.ServiceLifecycle;
import pql.common.telemetry.Telemetry;
import pql.gateway.audit.AuditLog;
import io.dropwizard.lifecycle.Managed;
import pql.common.logging.RateLimitedLog;
import pql.gateway.auth.ApiKeyRegistry;
import pql.gateway.auth.ApiKeys;
import pql.gateway.keys.app.KeyFollower;
import pql.gateway.keys.app.KeyUseCases;
import pql.gateway.keys.grpc.KeyGrpcService;
import pql.gateway.keys.store.IngestKeyLog;
import pql.gateway.auth.ApiKeyServerInterceptor;
import pql.gateway.auth.Caller;
import pql.gateway.auth.LocalKeyFile;
import pql.gateway.auth.Scope;
import pql.gateway.health.BackendHealthMonitor;
import pql.gateway.health.BackendsHealthCheck;
import pql.gateway.http.AccountDaysResource;
import pql.gateway.http.ApiIndexResource;
import pql.gateway.http.ApiKeyAuthFeature;
import pql.gateway.http.BackendStubs;
import pql.gateway.http.BareMediaTypeParameters;
import pql.gateway.http.DashboardResource;
import pql.gateway.http.ForecastResource;
import pql.gateway.http.GrpcStatusExceptionMapper;
import pql.gateway.http.MetricsResource;
import pql.gateway.http.ProtobufJsonWriter;
import pql.gateway.http.RpcCatalog;
import pql.gateway.http.RpcResource;
import pql.gateway.http.ScoresResource;
import pql.gateway.http.SpectrumDensityResource;
import pql.gateway.http.StrictQueryParameters;
import pql.gateway.http.TransitionsResource;
import pql.gateway.http.UnmatchedRequestMapper;
import pql.gateway.http.openapi.OpenApiDocument;
import pql.gateway.proxy.ProxyServices;
import pql.gateway.proxy.Route;
import pql.gateway.proxy.Routes;
import pql.gateway.segment.IngestErrorGrpcService;
import pql.gateway.segment.IngestErrorLog;
import pql.gateway.segment.SegmentIngest;
import pql.gateway.segment.SegmentResource;

/**
 * The gateway put together, whatever carries the backend calls (Netty in distributed mode,
 * in-process channels in the all-in-one): the public gRPC endpoint, its health, the HTTP API and
 * the dashboard, all registered with Dropwizard's lifecycle.
 */
public final class Gateway {

    /** On every channel to a backend: the exports and definition changes of every caller, gRPC or HTTP. */
    private static final AuditLog AUDIT = new AuditLog();
    private static final RateLimitedLog SHADOWING =
            new RateLimitedLog(org.slf4j.LoggerFactory.getLogger(Gateway.class), Duration.ofMinutes(10));

    private final GatewayGrpcServer grpcServer;
    private final BackendHealthMonitor healthMonitor;
    private final String localKey;

    private Gateway(GatewayGrpcServer grpcServer, BackendHealthMonitor healthMonitor, String localKey) {
        this.grpcServer = grpcServer;
        this.healthMonitor = healthMonitor;
        this.localKey = localKey;
    }

    /**
     * @param lifecycle serves the public gRPC endpoint in the process's shutdown order; its telemetry traces every hop
     * @param keys      the callers' keys; the local key (when configured) and {@code extraKeys} are added
     * @param ingest    channel to the ingest service (likewise scoring, forecast); telemetry is added here
     */
    public static Gateway install(GatewayBaseConfig config, Environment environment, ServiceLifecycle lifecycle,
            ApiKeyRegistry keys, Channel ingest, Channel scoring, Channel forecast) {
        Telemetry telemetry = lifecycle.telemetry();
        AUDIT.ensureWritten();
        String localKey = null;
        var local = config.getAuth().getLocalKey();
        if (local.isEnabled()) {
            localKey = local.getKey() != null && !local.getKey().isBlank()
                    ? local.getKey().trim()
                    : LocalKeyFile.loadOrCreate(java.nio.file.Path.of(local.getFile()));
            keys = keys.with(local.getName(), localKey, EnumSet.allOf(Scope.class));
        }

        ApiKeyRegistry callers = keys;
        KeyFollower keyFollower = new KeyFollower(
                // untraced: a poll every few hundred milliseconds would bury the traces that matter
                new IngestKeyLog(ingest, Duration.ofSeconds(5)),
                current -> callers.useRuntimeKeys(current).forEach(name -> SHADOWING.warn(name,
                        "runtime API key '" + name + "' is ignored: a key configured in the YAML has its name")),
                Duration.ofMillis(config.getAuth().getRuntimeKeysPollMillis()));
        // KeyService waits for ingest: off the transport threads, on a couple of its own
        ExecutorService keyCalls = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "gateway-key-calls");
            thread.setDaemon(true);
            return thread;
        });
        KeyUseCases keyUseCases = new KeyUseCases(new IngestKeyLog(traced(ingest, telemetry), Duration.ofSeconds(5)),
                callers::configuredNames, java.time.Clock.systemUTC(), ApiKeys::generate, keyFollower::pollQuietly);
        AdminAuthFilter.of(environment).alsoAllow(presented -> callers.authenticate(presented)
                .map(caller -> caller.has(Scope.ADMIN) ? AdminAccess.Decision.ALLOWED : AdminAccess.Decision.NOT_ADMIN)
                .orElse(AdminAccess.Decision.UNKNOWN_KEY));

        List<Route> routes = Routes.of(traced(ingest, telemetry), traced(scoring, telemetry), traced(forecast, telemetry));
        IngestErrorLog ingestErrors = new IngestErrorLog(config.getSegment().getErrorLogSize());
        List<ServerServiceDefinition> services = java.util.stream.Stream.concat(routes.stream()
                .map(route -> ProxyServices.forward(route.service(), route.backend(), Caller::currentName)),
                java.util.stream.Stream.of(new IngestErrorGrpcService(ingestErrors).bindService(),
                        new KeyGrpcService(keyUseCases, keyCalls).bindService()))
                .toList();
        HealthStatusManager health = new HealthStatusManager();
        GatewayGrpcServer grpcServer = new GatewayGrpcServer(config.getGrpc(), services,
                List.of(new ErrorInfoInterceptor(), new GrpcCallMetrics(environment.metrics()), telemetry.serverInterceptor(),
                        new ApiKeyServerInterceptor(keys)), health, Routes.readServices(routes));
        BackendHealthMonitor monitor = new BackendHealthMonitor(routes, health,
                Duration.ofSeconds(config.getProxy().getHealthPeriodSeconds()), Duration.ofSeconds(2));
        // The first poll runs at once; until it has answered only the configured keys are known.
        environment.lifecycle().manage(new Managed() {
            @Override
            public void start() {
                keyFollower.start();
            }

            @Override
            public void stop() {
                keyFollower.close();
                keyCalls.shutdown();
            }
        });
        lifecycle.serve(grpcServer);
        // Registered after the lifecycle: it starts polling once the servers are up and stops first.
        environment.lifecycle().manage(monitor);
        environment.healthChecks().register("backends", new BackendsHealthCheck(monitor));

        BackendStubs stubs = new BackendStubs(traced(scoring, telemetry), traced(forecast, telemetry),
                Duration.ofSeconds(config.getProxy().getHttpDeadlineSeconds()).toMillis(),
                Duration.ofSeconds(config.getProxy().getExportDeadlineSeconds()).toMillis());
        var jersey = environment.jersey();
        jersey.register(new ProtobufJsonWriter());
        jersey.register(new GrpcStatusExceptionMapper());
        jersey.register(new BareMediaTypeParameters());
        jersey.register(new UnmatchedRequestMapper());
        jersey.register(new ApiKeyAuthFeature(keys));
        jersey.register(new StrictQueryParameters());
        // every public method over HTTP/JSON, through the gateway's own gRPC endpoint (keys, scopes, limits)
        RpcCatalog rpc = RpcCatalog.of(services);
        ManagedChannel self = lifecycle.opened(InProcessChannelBuilder.forName(grpcServer.inProcessName()).directExecutor().build());
        int maxJsonBytes = (int) Math.min(Integer.MAX_VALUE - 1L, 4L * config.getGrpc().getMaxInboundMessageBytes());
        jersey.register(new RpcResource(rpc, self, Duration.ofSeconds(config.getProxy().getHttpDeadlineSeconds()).toMillis(),
                Duration.ofSeconds(config.getProxy().getExportDeadlineSeconds()).toMillis(), maxJsonBytes));
        List<Object> api = List.of(new ScoresResource(stubs), new ForecastResource(stubs), new TransitionsResource(stubs),
                new MetricsResource(stubs), new SpectrumDensityResource(stubs), new AccountDaysResource(stubs));
        api.forEach(jersey::register);
        List<Class<?>> documented = new java.util.ArrayList<>(api.stream().<Class<?>>map(Object::getClass).toList());
        documented.add(ApiIndexResource.class);
        jersey.register(new ApiIndexResource(OpenApiDocument.generate(documented, rpc)));
        jersey.register(new DashboardResource());
        if (config.getSegment().isEnabled()) {
            SegmentIngest segmentIngest = new SegmentIngest(traced(ingest, telemetry),
                    Duration.ofSeconds(config.getProxy().getHttpDeadlineSeconds()).toMillis(), ingestErrors, environment.metrics());
            jersey.register(new SegmentResource(config.getSegment(), segmentIngest, keys, environment.getObjectMapper(),
                    java.time.Clock.systemUTC(), environment.metrics()));
        }
        return new Gateway(grpcServer, monitor, localKey);
    }

    private static Channel traced(Channel channel, Telemetry telemetry) {
        return ClientInterceptors.intercept(channel, telemetry.clientInterceptor(), AUDIT);
    }

    public GatewayGrpcServer grpcServer() {
        return grpcServer;
    }

    public BackendHealthMonitor healthMonitor() {
        return healthMonitor;
    }

    /** The local key with every scope, null unless {@code auth.localKey.enabled}. */
    public String localKey() {
        return localKey;
    }
}
