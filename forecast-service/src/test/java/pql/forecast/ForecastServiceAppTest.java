package pql.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import pql.forecast.support.Scores;
import pql.forecast.support.ScoringServiceFixture;
import pql.v1.Forecast;
import pql.v1.ForecastServiceGrpc;
import pql.v1.GetForecastRequest;
import pql.v1.Persona;

/** The standalone process as config.yml starts it, over real Netty both ways. */
class ForecastServiceAppTest {

    private static Path configFile() {
        Path here = Path.of("").toAbsolutePath();
        return here.resolve("config.yml").toFile().exists() ? here.resolve("config.yml") : here.resolve("forecast-service/config.yml");
    }

    @Test
    void theShippedConfigParsesWithItsDefaults() throws Exception {
        ForecastServiceConfig config = new YamlConfigurationFactory<>(ForecastServiceConfig.class, Validators.newValidator(),
                Jackson.newObjectMapper(), "dw")
                .build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)),
                        configFile().toString());

        assertThat(config.getGrpc().getPort()).isEqualTo(50063);
        assertThat(config.getScoring().getTarget()).isEqualTo("localhost:50062");
        assertThat(config.getScoring().normalizedTls().getTrustCertFile()).isNull();
        assertThat(config.getForecast().getMaxStalenessMillis()).isZero();
        assertThat(config.getForecast().isIncludeFreemium()).isFalse();
        assertThat(config.getForecast().getCalibrationPseudoCount()).isEqualTo(20);
    }

    @Test
    void theProcessServesForecastsFromScoringOverNetty() throws Exception {
        try (ScoringServiceFixture scoring = ScoringServiceFixture.onLoopback()) {
            scoring.publish(1, Map.of()).put(1, Scores.account("a1").persona(Persona.PERSONA_GOLDEN_LEAD).deal("1000.00").build());
            DropwizardTestSupport<ForecastServiceConfig> app = new DropwizardTestSupport<>(ForecastServiceApp.class,
                    configFile().toString(),
                    ConfigOverride.config("server.applicationConnectors[0].port", "0"),
                    ConfigOverride.config("server.adminConnectors[0].port", "0"),
                    ConfigOverride.config("grpc.host", "127.0.0.1"),
                    ConfigOverride.config("grpc.port", "0"),
                    ConfigOverride.config("scoring.target", "127.0.0.1:" + scoring.port()));
            app.before();
            ManagedChannel channel = null;
            try {
                ForecastServiceApp application = app.getApplication();
                channel = NettyChannelBuilder.forAddress("127.0.0.1", application.grpcServer().port()).usePlaintext().build();
                Forecast forecast = ForecastServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                        .getForecast(GetForecastRequest.getDefaultInstance());

                assertThat(forecast.getOpenTrials()).isEqualTo(1);
                assertThat(forecast.getExpectedRevenue().getAmountMicros()).isEqualTo(900_000_000L);
                assertThat(HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.newBuilder()
                        .setService("pql.v1.ForecastService").build()).getStatus()).isEqualTo(ServingStatus.SERVING);
                assertThat(app.getEnvironment().healthChecks().runHealthCheck("scoring").isHealthy()).isTrue();
            } finally {
                if (channel != null) {
                    channel.shutdownNow();
                }
                app.after();
            }
        }
    }
}
