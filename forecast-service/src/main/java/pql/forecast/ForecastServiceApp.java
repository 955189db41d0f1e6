package pql.forecast;

import io.dropwizard.core.setup.Environment;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import java.time.Clock;
import pql.common.grpc.GrpcCredentials;
import pql.common.grpc.ManagedGrpcServer;
import pql.common.service.ServiceApplication;
import pql.common.service.ServiceLifecycle;

/**
 * forecast-service in its own process: the module on a Netty gRPC server (port 50063 by default),
 * reading scores from scoring-service at {@code scoring.target}. Run with
 * {@code java -cp ... pql.forecast.ForecastServiceApp server forecast-service/config.yml}.
 */
public class ForecastServiceApp extends ServiceApplication<ForecastServiceConfig> {

    private volatile ManagedGrpcServer grpcServer;
    private volatile ForecastModule module;

    public static void main(String[] args) throws Exception {
        new ForecastServiceApp().run(args);
    }

    @Override
    public String getName() {
        return "pql-forecast-service";
    }

    @Override
    protected void wire(ForecastServiceConfig config, Environment environment, ServiceLifecycle lifecycle) {
        config.getGrpc().setTls(ScoringTargetConfig.normalized(config.getGrpc().getTls()));
        ManagedChannel channel = lifecycle.opened(Grpc.newChannelBuilder(config.getScoring().getTarget(),
                GrpcCredentials.channel(config.getScoring().normalizedTls())).build());
        Channel traced = ClientInterceptors.intercept(channel, lifecycle.telemetry().clientInterceptor());
        ForecastModule forecast = new ForecastModule(config.getForecast(), traced, lifecycle.telemetry(), Clock.systemUTC());
        forecast.healthChecks().forEach(environment.healthChecks()::register);
        this.grpcServer = lifecycle.serve(forecast, config.getGrpc());
        this.module = forecast;
    }

    /** The gRPC server (after {@code run}), for tests. */
    public ManagedGrpcServer grpcServer() {
        return grpcServer;
    }

    public ForecastModule module() {
        return module;
    }
}
