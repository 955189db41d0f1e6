package pql.ingest;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import pql.common.service.ServiceConfiguration;
import pql.eventstore.config.EventStoreConfig;

/** ingest-service/config.yml: the shared sections ({@code grpc:}, {@code telemetry:}), {@code eventStore:} and {@code ingest:}. */
public class IngestServiceConfig extends ServiceConfiguration {

    @JsonProperty
    @Valid
    @NotNull
    private EventStoreConfig eventStore = new EventStoreConfig();

    @JsonProperty
    @Valid
    @NotNull
    private IngestSettings ingest = new IngestSettings();

    public IngestServiceConfig() {
        super(50061);
    }

    public EventStoreConfig getEventStore() {
        return eventStore;
    }

    public IngestSettings getIngest() {
        return ingest;
    }
}
