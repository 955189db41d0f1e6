package pql.forecast;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import pql.common.service.ServiceConfiguration;

/** forecast-service's YAML: the shared sections ({@code grpc:}, {@code telemetry:}), {@code scoring:} and {@code forecast:}. */
public class ForecastServiceConfig extends ServiceConfiguration {

    @JsonProperty
    @Valid
    @NotNull
    private ScoringTargetConfig scoring = new ScoringTargetConfig();

    @JsonProperty
    @Valid
    @NotNull
    private ForecastSettings forecast = new ForecastSettings();

    public ForecastServiceConfig() {
        super(50063);
    }

    public ScoringTargetConfig getScoring() {
        return scoring;
    }

    public ForecastSettings getForecast() {
        return forecast;
    }
}
