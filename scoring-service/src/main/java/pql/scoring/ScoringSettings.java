package pql.scoring;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import pql.eventstore.config.EventStoreConfig;

/**
 * The {@code scoring:} section of the service's YAML. Every field has a default, so
 * {@code new ScoringSettings()} is a working configuration.
 */
public class ScoringSettings {

    /** Where projection checkpoints (segment snapshots) are written. */
    @JsonProperty
    @NotNull
    private String dataDirectory = "./data/scoring";

    /** Segments of each projection: threads here, and the unit of scale-out across processes. */
    @JsonProperty
    @Min(1)
    @Max(64)
    private int segments = 2;

    /** Events per Axon message (a chunk of the log). */
    @JsonProperty
    @Min(1)
    @Max(100_000)
    private int chunkSize = 256;

    /** Threads reading the log ahead while a projection is far behind its head (start-up, rescores). */
    @JsonProperty
    @Min(0)
    @Max(8)
    private int readAhead = 2;

    /** Chunks per Axon unit of work. */
    @JsonProperty
    @Min(1)
    @Max(10_000)
    private int batchSize = 16;

    /** How often each segment's state is checkpointed with its token. */
    @JsonProperty
    @NotNull
    private Duration checkpointInterval = Duration.seconds(60);

    /** How often engagement percentiles are rebuilt (and rescores checked for READY). */
    @JsonProperty
    @NotNull
    private Duration percentileRefresh = Duration.seconds(1);

    /**
     * How old the engagement percentiles a single score ranks against may be when their rebuild is
     * late (every account's summary, under an ingest flood it takes seconds); a read never waits for
     * a rebuild while a view this fresh exists. Lists and exports use their instant's exact view.
     */
    @JsonProperty
    @NotNull
    private Duration percentileMaxAge = Duration.seconds(10);

    @JsonProperty
    @Min(1)
    @Max(8)
    private int maxConcurrentRescores = 1;

    /**
     * Retired definition versions whose projection keeps following the log after a promotion, so that
     * promoting one back (a rollback) and comparing forecasts with it need no rescore. Each costs
     * the memory of one more projection; 0 stops a retired projection at once.
     */
    @JsonProperty
    @Min(0)
    @Max(8)
    private int keepRetiredProjections = 1;

    /** Transitions a WatchPqlTransitions caller may fall behind before it is cut off. */
    @JsonProperty
    @Min(16)
    private int watchQueueCapacity = 1024;

    /** Longest replay an as-of export may take. */
    @JsonProperty
    @NotNull
    private Duration asOfExportTimeout = Duration.minutes(10);

    /** The projection health check fails when it is more events than this behind the log head. */
    @JsonProperty
    @Min(0)
    private long maxProjectionLag = 100_000;

    @JsonProperty
    @Valid
    @NotNull
    private AlertSettings alerts = new AlertSettings();

    @JsonProperty
    @Valid
    @NotNull
    private Distributed distributed = new Distributed();

    /** known_at reads: snapshots by log position (see {@link KnownAtSettings}). */
    @JsonProperty
    @Valid
    @NotNull
    private KnownAtSettings knownAt = new KnownAtSettings();

    /**
     * Several processes on one PostgreSQL store (engine {@code postgres}): claims in Axon's
     * {@code JdbcTokenStore}, checkpoints and heartbeats in the store's schema. Ignored on the embedded
     * engine (one process owns its files).
     */
    public static class Distributed {
        /** This process in claims and heartbeats; empty: {@code pid@host}. Must differ between processes. */
        @JsonProperty
        private String nodeId = "";

        /** A process that has not touched its claims for this long loses them to the others. */
        @JsonProperty
        @NotNull
        private Duration claimTimeout = Duration.seconds(10);

        /** How often a process looks for segments to claim. */
        @JsonProperty
        @NotNull
        private Duration claimInterval = Duration.seconds(1);

        @JsonProperty
        @NotNull
        private Duration heartbeatInterval = Duration.seconds(1);

        /** A process whose last heartbeat is older counts as gone: the others take its share. */
        @JsonProperty
        @NotNull
        private Duration nodeTimeout = Duration.seconds(5);

        /**
         * Where claims, checkpoints and heartbeats live when the event store is not PostgreSQL (e.g.
         * KurrentDB): a PostgreSQL every scoring process reaches, set like the store's own section.
         * Blank URL: on a PostgreSQL store they live in the store's own schema; on other stores this
         * process works alone.
         */
        @JsonProperty
        @Valid
        @NotNull
        private EventStoreConfig.PostgresSection sharedState = new EventStoreConfig.PostgresSection()
                .setUrl("").setUser("").setSchema("pql_scoring").setPoolSize(4);

        public String getNodeId() {
            return nodeId == null ? "" : nodeId;
        }

        public EventStoreConfig.PostgresSection getSharedState() {
            return sharedState;
        }

        public Distributed setSharedState(EventStoreConfig.PostgresSection sharedState) {
            this.sharedState = sharedState;
            return this;
        }

        public Distributed setNodeId(String nodeId) {
            this.nodeId = nodeId;
            return this;
        }

        public Duration getClaimTimeout() {
            return claimTimeout;
        }

        public Distributed setClaimTimeout(Duration claimTimeout) {
            this.claimTimeout = claimTimeout;
            return this;
        }

        public Duration getClaimInterval() {
            return claimInterval;
        }

        public Distributed setClaimInterval(Duration claimInterval) {
            this.claimInterval = claimInterval;
            return this;
        }

        public Duration getHeartbeatInterval() {
            return heartbeatInterval;
        }

        public Distributed setHeartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = heartbeatInterval;
            return this;
        }

        public Duration getNodeTimeout() {
            return nodeTimeout;
        }

        public Distributed setNodeTimeout(Duration nodeTimeout) {
            this.nodeTimeout = nodeTimeout;
            return this;
        }
    }

    public Distributed getDistributed() {
        return distributed;
    }

    public ScoringSettings setDistributed(Distributed distributed) {
        this.distributed = distributed;
        return this;
    }

    public String getDataDirectory() {
        return dataDirectory;
    }

    public ScoringSettings setDataDirectory(String dataDirectory) {
        this.dataDirectory = dataDirectory;
        return this;
    }

    public int getSegments() {
        return segments;
    }

    public ScoringSettings setSegments(int segments) {
        this.segments = segments;
        return this;
    }

    public int getChunkSize() {
        return chunkSize;
    }

    public ScoringSettings setChunkSize(int chunkSize) {
        this.chunkSize = chunkSize;
        return this;
    }

    public int getReadAhead() {
        return readAhead;
    }

    public ScoringSettings setReadAhead(int readAhead) {
        this.readAhead = readAhead;
        return this;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public ScoringSettings setBatchSize(int batchSize) {
        this.batchSize = batchSize;
        return this;
    }

    public Duration getCheckpointInterval() {
        return checkpointInterval;
    }

    public ScoringSettings setCheckpointInterval(Duration checkpointInterval) {
        this.checkpointInterval = checkpointInterval;
        return this;
    }

    public Duration getPercentileRefresh() {
        return percentileRefresh;
    }

    public ScoringSettings setPercentileRefresh(Duration percentileRefresh) {
        this.percentileRefresh = percentileRefresh;
        return this;
    }

    public Duration getPercentileMaxAge() {
        return percentileMaxAge;
    }

    public ScoringSettings setPercentileMaxAge(Duration percentileMaxAge) {
        this.percentileMaxAge = percentileMaxAge;
        return this;
    }

    public int getMaxConcurrentRescores() {
        return maxConcurrentRescores;
    }

    public ScoringSettings setMaxConcurrentRescores(int maxConcurrentRescores) {
        this.maxConcurrentRescores = maxConcurrentRescores;
        return this;
    }

    public int getKeepRetiredProjections() {
        return keepRetiredProjections;
    }

    public ScoringSettings setKeepRetiredProjections(int keepRetiredProjections) {
        this.keepRetiredProjections = keepRetiredProjections;
        return this;
    }

    public int getWatchQueueCapacity() {
        return watchQueueCapacity;
    }

    public ScoringSettings setWatchQueueCapacity(int watchQueueCapacity) {
        this.watchQueueCapacity = watchQueueCapacity;
        return this;
    }

    public Duration getAsOfExportTimeout() {
        return asOfExportTimeout;
    }

    public ScoringSettings setAsOfExportTimeout(Duration asOfExportTimeout) {
        this.asOfExportTimeout = asOfExportTimeout;
        return this;
    }

    public long getMaxProjectionLag() {
        return maxProjectionLag;
    }

    public ScoringSettings setMaxProjectionLag(long maxProjectionLag) {
        this.maxProjectionLag = maxProjectionLag;
        return this;
    }

    public KnownAtSettings getKnownAt() {
        return knownAt;
    }

    public ScoringSettings setKnownAt(KnownAtSettings knownAt) {
        this.knownAt = knownAt;
        return this;
    }

    public AlertSettings getAlerts() {
        return alerts;
    }

    public ScoringSettings setAlerts(AlertSettings alerts) {
        this.alerts = alerts;
        return this;
    }
}
