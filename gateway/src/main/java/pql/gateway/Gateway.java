package pql.gateway;

import io.dropwizard.core.setup.Environment;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.services.HealthStatusManager;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import pql.common.admin.AdminAccess;
import pql.common.admin.AdminAuthFilter;
import pql.common.grpc.ErrorInfoInterceptor;
import pql.common.service.ServiceLifecycle;
import pql.common.telemetry.Telemetry;
import pql.gateway.auth.ApiKeyRegistry;
import pql.gateway.auth.ApiKeyServerInterceptor;
import pql.gateway.auth.Caller;
import pql.gateway.auth.LocalKeyFile;
import pql.gateway.auth.Scope;
import pql.gateway.health.BackendHealthMonitor;
import pql.gateway.health.BackendsHealthCheck;
import pql.gateway.http.AccountDaysResource;
import pql.gateway.http.ApiKeyAuthFeature;
import pql.gateway.http.BackendStubs;
import pql.gateway.http.DashboardResource;
import pql.gateway.http.ForecastResource;
import pql.gateway.http.GrpcStatusExceptionMapper;
import pql.gateway.http.MetricsResource;
import pql.gateway.http.ProtobufJsonWriter;
import pql.gateway.http.ScoresResource;
import pql.gateway.http.SpectrumDensityResource;
import pql.gateway.http.TransitionsResource;
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
        String localKey = null;
        var local = config.getAuth().getLocalKey();
        if (local.isEnabled()) {
            localKey = local.getKey() != null && !local.getKey().isBlank()
                    ? local.getKey().trim()
                    : LocalKeyFile.loadOrCreate(java.nio.file.Path.of(local.getFile()));
            keys = keys.with(local.getName(), localKey, EnumSet.allOf(Scope.class));
        }

        ApiKeyRegistry callers = keys;
        AdminAuthFilter.of(environment).alsoAllow(presented -> callers.authenticate(presented)
                .map(caller -> caller.has(Scope.ADMIN) ? AdminAccess.Decision.ALLOWED : AdminAccess.Decision.NOT_ADMIN)
                .orElse(AdminAccess.Decision.UNKNOWN_KEY));

        List<Route> routes = Routes.of(traced(ingest, telemetry), traced(scoring, telemetry), traced(forecast, telemetry));
        IngestErrorLog ingestErrors = new IngestErrorLog(config.getSegment().getErrorLogSize());
        List<ServerServiceDefinition> services = java.util.stream.Stream.concat(routes.stream()
                .map(route -> ProxyServices.forward(route.service(), route.backend(), Caller::currentName)),
                java.util.stream.Stream.of(new IngestErrorGrpcService(ingestErrors).bindService()))
                .toList();
        HealthStatusManager health = new HealthStatusManager();
        GatewayGrpcServer grpcServer = new GatewayGrpcServer(config.getGrpc(), services,
                List.of(new ErrorInfoInterceptor(), telemetry.serverInterceptor(), new ApiKeyServerInterceptor(keys)), health);
        BackendHealthMonitor monitor = new BackendHealthMonitor(routes, health,
                Duration.ofSeconds(config.getProxy().getHealthPeriodSeconds()), Duration.ofSeconds(2));
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
        jersey.register(new ApiKeyAuthFeature(keys));
        jersey.register(new ScoresResource(stubs));
        jersey.register(new ForecastResource(stubs));
        jersey.register(new TransitionsResource(stubs));
        jersey.register(new MetricsResource(stubs));
        jersey.register(new SpectrumDensityResource(stubs));
        jersey.register(new AccountDaysResource(stubs));
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
        return ClientInterceptors.intercept(channel, telemetry.clientInterceptor());
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
