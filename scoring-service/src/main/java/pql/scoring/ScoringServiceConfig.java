package pql.scoring;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import pql.common.grpc.GrpcServerConfig;
import pql.common.telemetry.TelemetryConfig;
import pql.eventstore.config.EventStoreConfig;

/** scoring-service's YAML: {@code grpc:}, {@code telemetry:}, {@code eventStore:} and {@code scoring:}. */
public class ScoringServiceConfig extends Configuration {

    @JsonProperty
    @Valid
    @NotNull
    private GrpcServerConfig grpc = new GrpcServerConfig().setPort(50062);

    @JsonProperty
    @Valid
    @NotNull
    private TelemetryConfig telemetry = new TelemetryConfig();

    @JsonProperty
    @Valid
    @NotNull
    private EventStoreConfig eventStore = new EventStoreConfig();

    @JsonProperty
    @Valid
    @NotNull
    private ScoringSettings scoring = new ScoringSettings();

    public GrpcServerConfig getGrpc() {
        return grpc;
    }

    public TelemetryConfig getTelemetry() {
        return telemetry;
    }

    public EventStoreConfig getEventStore() {
        return eventStore;
    }

    public ScoringSettings getScoring() {
        return scoring;
    }
}
