package pql.allinone;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import pql.eventstore.config.EventStoreConfig;
import pql.gateway.GatewayBaseConfig;

/**
 * The all-in-one: the gateway's sections, the embedded store, each service's own section (bound
 * to its settings class when the service is built, so the file reads like the standalone
 * services' files) and the sample dataset.
 */
public class AllInOneConfig extends GatewayBaseConfig {

    @JsonProperty
    @Valid
    @NotNull
    private EventStoreConfig eventStore = new EventStoreConfig();

    @JsonProperty
    @NotNull
    private JsonNode ingest = JsonNodeFactory.instance.objectNode();

    @JsonProperty
    @NotNull
    private JsonNode scoring = JsonNodeFactory.instance.objectNode();

    @JsonProperty
    @NotNull
    private JsonNode forecast = JsonNodeFactory.instance.objectNode();

    @JsonProperty
    @Valid
    @NotNull
    private SampleDataConfig sampleData = new SampleDataConfig();

    public EventStoreConfig getEventStore() {
        return eventStore;
    }

    public JsonNode getIngest() {
        return ingest;
    }

    public JsonNode getScoring() {
        return scoring;
    }

    public JsonNode getForecast() {
        return forecast;
    }

    public SampleDataConfig getSampleData() {
        return sampleData;
    }
}
