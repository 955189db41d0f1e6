package pql.gateway;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** The {@code backends:} section of the distributed gateway. */
public class BackendsConfig {

    @JsonProperty
    @Valid
    @NotNull
    private BackendConfig ingest = new BackendConfig("localhost:50061");

    @JsonProperty
    @Valid
    @NotNull
    private BackendConfig scoring = new BackendConfig("localhost:50062");

    @JsonProperty
    @Valid
    @NotNull
    private BackendConfig forecast = new BackendConfig("localhost:50063");

    public BackendConfig getIngest() {
        return ingest;
    }

    public BackendConfig getScoring() {
        return scoring;
    }

    public BackendConfig getForecast() {
        return forecast;
    }
}
