package pql.forecast;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import pql.common.grpc.GrpcServerConfig;
import pql.common.telemetry.TelemetryConfig;

/** forecast-service's YAML: {@code grpc:}, {@code telemetry:}, {@code scoring:} and {@code forecast:}. */
public class ForecastServiceConfig extends Configuration {

    @JsonProperty
    @Valid
    @NotNull
    private GrpcServerConfig grpc = new GrpcServerConfig().setPort(50063);

    @JsonProperty
    @Valid
    @NotNull
    private TelemetryConfig telemetry = new TelemetryConfig();

    @JsonProperty
    @Valid
    @NotNull
    private ScoringTargetConfig scoring = new ScoringTargetConfig();

    @JsonProperty
    @Valid
    @NotNull
    private ForecastSettings forecast = new ForecastSettings();

    public GrpcServerConfig getGrpc() {
        return grpc;
    }

    public TelemetryConfig getTelemetry() {
        return telemetry;
    }

    public ScoringTargetConfig getScoring() {
        return scoring;
    }

    public ForecastSettings getForecast() {
        return forecast;
    }
}
