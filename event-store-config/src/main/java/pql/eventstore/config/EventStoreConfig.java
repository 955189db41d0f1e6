package pql.eventstore.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import pql.eventstore.EventStore;
import pql.eventstore.embedded.EmbeddedStoreOptions;
import pql.eventstore.embedded.RocksDbEventStore;
import pql.eventstore.kurrentdb.KurrentDbEventStore;
import pql.eventstore.kurrentdb.KurrentDbStoreOptions;
import pql.eventstore.postgres.PostgresConnectionOptions;
import pql.eventstore.postgres.PostgresEventStore;

/**
 * The {@code eventStore:} section of a service's YAML: which engine, and its settings.
 *
 * <pre>
 * eventStore:
 *   engine: embedded            # embedded | postgres | kurrentdb
 *   directory: ./data/events    # embedded
 *   postgres:                   # postgres
 *     url: jdbc:postgresql://db:5432/pql
 *     user: pql
 *     password: ${PQL_POSTGRES_PASSWORD}
 *   kurrentdb:                  # kurrentdb
 *     connectionString: kurrentdb://kurrentdb:2113?tls=false
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

    @JsonProperty
    @Valid
    @NotNull
    private PostgresSection postgres = new PostgresSection();

    /** Settings of the PostgreSQL engine. */
    public static class PostgresSection {
        @JsonProperty
        private String url = "jdbc:postgresql://localhost:5432/pql";
        @JsonProperty
        private String user = "pql";
        @JsonProperty
        private String password = "";
        @JsonProperty
        private String schema = PostgresConnectionOptions.DEFAULT_SCHEMA;
        @JsonProperty
        @Min(1)
        private int poolSize = PostgresConnectionOptions.DEFAULT_POOL_SIZE;

        /** Blank when this section is left unset (a section that is only used when given a URL). */
        public String getUrl() {
            return url == null ? "" : url;
        }

        public String getSchema() {
            return schema;
        }

        public PostgresConnectionOptions toOptions() {
            return PostgresConnectionOptions.of(url, user, password).withSchema(schema).withPoolSize(poolSize);
        }

        public PostgresSection setUrl(String url) {
            this.url = url;
            return this;
        }

        public PostgresSection setUser(String user) {
            this.user = user;
            return this;
        }

        public PostgresSection setPassword(String password) {
            this.password = password;
            return this;
        }

        public PostgresSection setSchema(String schema) {
            this.schema = schema;
            return this;
        }

        public PostgresSection setPoolSize(int poolSize) {
            this.poolSize = poolSize;
            return this;
        }
    }

    /** Settings of the KurrentDB engine: the connection string; the rest has defaults. */
    public static class KurrentDbSection {
        @JsonProperty
        private String connectionString = "kurrentdb://localhost:2113?tls=false";

        public String getConnectionString() {
            return connectionString;
        }

        public KurrentDbSection setConnectionString(String connectionString) {
            this.connectionString = connectionString;
            return this;
        }
    }

    @JsonProperty
    @Valid
    @NotNull
    private KurrentDbSection kurrentdb = new KurrentDbSection();

    public KurrentDbSection getKurrentdb() {
        return kurrentdb;
    }

    public PostgresSection getPostgres() {
        return postgres;
    }

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
            case POSTGRES -> PostgresEventStore.open(postgres.toOptions());
            case KURRENTDB -> KurrentDbEventStore.open(KurrentDbStoreOptions.of(kurrentdb.getConnectionString()));
        };
    }
}
