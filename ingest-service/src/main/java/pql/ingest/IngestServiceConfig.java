package pql.ingest;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import pql.common.grpc.GrpcServerConfig;
import pql.common.telemetry.TelemetryConfig;
import pql.eventstore.config.EventStoreConfig;

/** ingest-service/config.yml: Dropwizard's server and logging, plus the sections below. */
public class IngestServiceConfig extends Configuration {

    @JsonProperty
    @Valid
    @NotNull
    private GrpcServerConfig grpc = new GrpcServerConfig().setPort(50061);

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
    private IngestSettings ingest = new IngestSettings();

    public GrpcServerConfig getGrpc() {
        return grpc;
    }

    public TelemetryConfig getTelemetry() {
        return telemetry;
    }

    public EventStoreConfig getEventStore() {
        return eventStore;
    }

    public IngestSettings getIngest() {
        return ingest;
    }
}
