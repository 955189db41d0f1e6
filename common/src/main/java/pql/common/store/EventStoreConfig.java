package pql.common.store;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import pql.eventstore.EventStore;
import pql.eventstore.embedded.EmbeddedStoreOptions;
import pql.eventstore.embedded.RocksDbEventStore;

/**
 * The {@code eventStore:} section of a service's YAML: which engine, and its settings.
 *
 * <pre>
 * eventStore:
 *   engine: embedded            # embedded | postgres | kurrentdb
 *   directory: ./data/events    # embedded
 * </pre>
 */
public class EventStoreConfig {

    public enum Engine { EMBEDDED, POSTGRES, KURRENTDB }

    @JsonProperty
    @NotNull
    private Engine engine = Engine.EMBEDDED;

    /** Embedded engine: the directory of its files. */
    @JsonProperty
    @NotNull
    private String directory = "./data/events";

    /** Embedded engine: events waiting for the writer before appends are refused. */
    @JsonProperty
    @Min(1000)
    private int maxQueuedEvents = 200_000;

    public Engine getEngine() {
        return engine;
    }

    public EventStoreConfig setEngine(Engine engine) {
        this.engine = engine;
        return this;
    }

    public String getDirectory() {
        return directory;
    }

    public EventStoreConfig setDirectory(String directory) {
        this.directory = directory;
        return this;
    }

    public int getMaxQueuedEvents() {
        return maxQueuedEvents;
    }

    public EventStoreConfig setMaxQueuedEvents(int maxQueuedEvents) {
        this.maxQueuedEvents = maxQueuedEvents;
        return this;
    }

    /** Opens the configured engine. The caller owns (and closes) the store. */
    public EventStore open() {
        return switch (engine) {
            case EMBEDDED -> RocksDbEventStore.open(new EmbeddedStoreOptions(Path.of(directory),
                    Math.min(20_000, maxQueuedEvents), maxQueuedEvents));
            case POSTGRES, KURRENTDB -> throw new IllegalStateException(engine + " engine is not wired yet");
        };
    }
}
