package pql.forecast;

import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import pql.common.grpc.GrpcCredentials;
import pql.common.grpc.ManagedGrpcServer;
import pql.common.telemetry.Telemetry;

/**
 * forecast-service in its own process: the module on a Netty gRPC server (port 50063 by default),
 * reading scores from scoring-service at {@code scoring.target}. Run with
 * {@code java -cp ... pql.forecast.ForecastServiceApp server forecast-service/config.yml}.
 */
public class ForecastServiceApp extends Application<ForecastServiceConfig> {

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
    public void initialize(Bootstrap<ForecastServiceConfig> bootstrap) {
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
    }

    @Override
    public void run(ForecastServiceConfig config, Environment environment) {
        config.getGrpc().setTls(ScoringTargetConfig.normalized(config.getGrpc().getTls()));
        Telemetry telemetry = Telemetry.create(getName(), config.getTelemetry());
        ManagedChannel channel = Grpc.newChannelBuilder(config.getScoring().getTarget(),
                GrpcCredentials.channel(config.getScoring().normalizedTls())).build();
        Channel traced = ClientInterceptors.intercept(channel, telemetry.clientInterceptor());
        // Managed objects stop in reverse order: the server drains, then the module, then the channel.
        environment.lifecycle().manage(new Managed() {
            @Override
            public void stop() throws InterruptedException {
                channel.shutdown();
                if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
                    channel.shutdownNow();
                }
                telemetry.close();
            }
        });
        ForecastModule forecast = new ForecastModule(config.getForecast(), traced, telemetry, Clock.systemUTC());
        environment.lifecycle().manage(new Managed() {
            @Override
            public void start() {
                forecast.start();
            }

            @Override
            public void stop() throws Exception {
                forecast.close();
            }
        });
        forecast.healthChecks().forEach(environment.healthChecks()::register);
        ManagedGrpcServer server = new ManagedGrpcServer("forecast", config.getGrpc(), forecast.services(),
                List.of(telemetry.serverInterceptor()));
        environment.lifecycle().manage(server);
        this.module = forecast;
        this.grpcServer = server;
    }

    /** The gRPC server (after {@code run}), for tests. */
    public ManagedGrpcServer grpcServer() {
        return grpcServer;
    }

    public ForecastModule module() {
        return module;
    }
}
