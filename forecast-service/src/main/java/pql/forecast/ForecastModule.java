package pql.forecast;

import com.codahale.metrics.health.HealthCheck;
import io.grpc.Channel;
import io.grpc.ServerServiceDefinition;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pql.common.ServiceModule;
import pql.common.telemetry.Telemetry;
import pql.forecast.app.ExchangeRateCache;
import pql.forecast.app.Forecasting;
import pql.forecast.app.PortfolioCache;
import pql.forecast.grpc.ForecastGrpcService;
import pql.forecast.grpc.ScoringClient;

/**
 * forecast-service: personas, odds, the revenue forecast and calibration, reading scores from
 * scoring-service over {@code scoringChannel} (in-process in the all-in-one, Netty otherwise; the
 * caller puts its telemetry client interceptor on the channel).
 */
public final class ForecastModule implements ServiceModule {

    private static final Logger LOG = LoggerFactory.getLogger(ForecastModule.class);
    static final String SCORING_SERVICE = "pql.v1.ScoringService";

    private final ForecastSettings settings;
    private final Channel scoringChannel;
    private final Forecasting forecasting;
    private final PortfolioCache cache;
    private final ForecastGrpcService service;
    private final ExecutorService warmer = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "forecast-warm");
        thread.setDaemon(true);
        return thread;
    });

    public ForecastModule(ForecastSettings settings, Channel scoringChannel, Telemetry telemetry, Clock clock) {
        this.settings = settings;
        this.scoringChannel = scoringChannel;
        ScoringClient scoring = new ScoringClient(scoringChannel, settings.getScoringDeadlineSeconds(), settings.getAsOfDeadlineSeconds());
        this.cache = new PortfolioCache(scoring, settings.getCachedVersions(), settings.getMaxStalenessMillis(), clock);
        this.forecasting = new Forecasting(scoring, cache, new ExchangeRateCache(scoring), new Forecasting.Settings(settings.isIncludeFreemium(),
                settings.getMaxDistinctSums(), settings.getExactRangeBudget(), settings.getCalibrationPseudoCount()));
        this.service = new ForecastGrpcService(forecasting, clock);
    }

    @Override
    public String name() {
        return "forecast";
    }

    @Override
    public List<ServerServiceDefinition> services() {
        return List.of(service.bindService());
    }

    @Override
    public Map<String, HealthCheck> healthChecks() {
        return Map.of("scoring", new HealthCheck() {
            @Override
            protected Result check() {
                try {
                    HealthCheckResponse.ServingStatus status = HealthGrpc.newBlockingStub(scoringChannel)
                            .withDeadlineAfter(2, TimeUnit.SECONDS)
                            .check(HealthCheckRequest.newBuilder().setService(SCORING_SERVICE).build())
                            .getStatus();
                    return status == HealthCheckResponse.ServingStatus.SERVING
                            ? Result.healthy("scoring-service serving")
                            : Result.unhealthy("scoring-service " + status);
                } catch (StatusRuntimeException e) {
                    return Result.unhealthy("scoring-service unreachable: " + e.getStatus().getCode());
                }
            }
        });
    }

    @Override
    public void start() {
        if (settings.isWarmOnStart()) {
            // Best effort: scoring may still be starting; the first request loads it then.
            warmer.execute(() -> {
                try {
                    forecasting.warm();
                } catch (RuntimeException e) {
                    LOG.info("forecast cache not warmed at start ({}); it loads on the first request", e.getMessage());
                }
            });
        }
    }

    @Override
    public void close() throws InterruptedException {
        warmer.shutdownNow();
        warmer.awaitTermination(5, TimeUnit.SECONDS);
    }

    /** The use cases, for tests and the benchmark. */
    public Forecasting forecasting() {
        return forecasting;
    }
}
