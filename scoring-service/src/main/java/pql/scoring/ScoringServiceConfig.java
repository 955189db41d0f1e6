package pql.scoring;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import pql.common.service.ServiceConfiguration;
import pql.eventstore.config.EventStoreConfig;

/** scoring-service's YAML: the shared sections ({@code grpc:}, {@code telemetry:}), {@code eventStore:} and {@code scoring:}. */
public class ScoringServiceConfig extends ServiceConfiguration {

    @JsonProperty
    @Valid
    @NotNull
    private EventStoreConfig eventStore = new EventStoreConfig();

    @JsonProperty
    @Valid
    @NotNull
    private ScoringSettings scoring = new ScoringSettings();

    public ScoringServiceConfig() {
        super(50062);
    }

    public EventStoreConfig getEventStore() {
        return eventStore;
    }

    public ScoringSettings getScoring() {
        return scoring;
    }
}
