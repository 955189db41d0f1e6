package pql.scoring.axon;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pql.eventstore.EventStore;
import pql.processing.ChunkedEventLogSource;
import pql.processing.EventLogMessageSource;
import pql.processing.ProjectionProcessor;
import pql.processing.ProjectionProcessorSpec;
import pql.processing.ProjectionProcessors;
import pql.scoring.app.ScoringProjection;
import pql.scoring.store.SegmentSnapshot;
import pql.scoring.store.SegmentSnapshotStore;

/**
 * Runs one {@link ScoringProjection} as an Axon pooled streaming processor over the event
 * log: one processor per definition version (the name carries the version), segments by account,
 * state checkpointed per segment together with its token (see {@link SnapshottingTokenStore}).
 */
public final class ProjectionRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectionRunner.class);

    /**
     * @param segments parallelism (threads) and the unit of scale-out across processes
     * @param batchSize chunks per Axon unit of work
     * @param maxChunk events per Axon message
     * @param checkpointInterval how often a segment's state is written with its token; null disables
     *     checkpoints (temporary projections)
     * @param readers threads reading the log ahead while far behind its head (replays, rescores)
     */
    public record Settings(int segments, int batchSize, int maxChunk, Duration checkpointInterval, int readers) {

        public Settings {
            if (segments < 1 || batchSize < 1 || maxChunk < 1 || readers < 0) {
                throw new IllegalArgumentException("segments, batch size and chunk size must be >= 1");
            }
        }

        public Settings(int segments, int batchSize, int maxChunk, Duration checkpointInterval) {
            this(segments, batchSize, maxChunk, checkpointInterval, 2);
        }

        public Settings withoutCheckpoints() {
            return new Settings(segments, batchSize, maxChunk, null, readers);
        }
    }

    private final ScoringProjection projection;
    private final String processorName;
    private final EventStore store;
    private final TokenStore tokens;
    private final SegmentSnapshotStore snapshots;
    private final Settings settings;
    private final Clock clock;
    private final Map<Integer, SegmentSnapshot> loaded = new ConcurrentHashMap<>();
    private SnapshottingTokenStore checkpointingTokens;
    private ProjectionProcessor processor;

    public ProjectionRunner(ScoringProjection projection, String processorName, EventStore store, TokenStore tokens,
            SegmentSnapshotStore snapshots, Settings settings, Clock clock) {
        this.projection = projection;
        this.processorName = processorName;
        this.store = store;
        this.tokens = tokens;
        this.snapshots = settings.checkpointInterval() == null ? null : snapshots;
        this.settings = settings;
        this.clock = clock;
    }

    /** The processor name of a definition version's projection. */
    public static String processorNameOf(int version) {
        return "scoring-v" + version;
    }

    public String processorName() {
        return processorName;
    }

    public ScoringProjection projection() {
        return projection;
    }

    public synchronized void start() {
        if (processor != null) {
            throw new IllegalStateException(processorName + " is already running");
        }
        if (snapshots != null) {
            for (SegmentSnapshot snapshot : snapshots.loadAll(processorName, projection.definition())) {
                loaded.put(snapshot.segmentId(), snapshot);
            }
            if (!loaded.isEmpty()) {
                LOG.info("{}: loaded {} segment snapshot(s), {} accounts", processorName, loaded.size(),
                        loaded.values().stream().mapToInt(s -> s.accounts().size()).sum());
            }
        }
        SegmentCheckpoints checkpoints = new Checkpoints();
        checkpointingTokens = new SnapshottingTokenStore(tokens, processorName, checkpoints,
                settings.checkpointInterval() == null ? Duration.ofDays(3650) : settings.checkpointInterval(), clock);
        processor = ProjectionProcessors.chunked(
                new ProjectionProcessorSpec(processorName, settings.segments(), settings.batchSize(), checkpointingTokens),
                new ChunkedEventLogSource(store, settings.maxChunk(), settings.readers(), processorName),
                new ProjectionChunkHandler(projection), ProjectionProcessors.Options.defaults());
        processor.start();
    }

    public synchronized boolean isRunning() {
        return processor != null && processor.isRunning();
    }

    /** Number of segments this runner currently processes. */
    public synchronized int claimedSegments() {
        return processor == null ? 0 : processor.claimedSegments();
    }

    /** Stops processing and, when checkpoints are on, writes every segment's final state. */
    public synchronized void stop() {
        if (processor == null) {
            return;
        }
        processor.shutDown();
        if (snapshots != null) {
            checkpointingTokens.checkpointAll();
        }
        shutDownThreads();
    }

    /** Stops without a last checkpoint, as a crash would (tests). */
    public synchronized void halt() {
        if (processor == null) {
            return;
        }
        processor.shutDown();
        shutDownThreads();
    }

    /** Stops and deletes the projection's snapshots: the version can be replayed again from scratch. */
    public synchronized void discard() {
        halt();
        if (snapshots != null) {
            snapshots.deleteAll(processorName);
        }
        projection.clear();
    }

    @Override
    public void close() {
        stop();
    }

    private void shutDownThreads() {
        processor.close();
        processor = null;
        loaded.clear();
    }

    private final class Checkpoints implements SegmentCheckpoints {

        @Override
        public TrackingToken restore(Segment segment) {
            projection.dropMatching(segment::matches);
            projection.forgetSegment(segment.getSegmentId());
            SegmentSnapshot snapshot = loaded.remove(segment.getSegmentId());
            if (snapshot == null || snapshot.mask() != segment.getMask() || snapshot.position() < 0) {
                if (snapshot != null) {
                    LOG.info("{}: snapshot of segment {} does not fit its layout now; replaying it", processorName,
                            segment.getSegmentId());
                }
                return null;
            }
            List<pql.scoring.domain.score.AccountState> accounts = snapshot.accounts();
            projection.restore(accounts);
            projection.recordSegmentPosition(segment.getSegmentId(), snapshot.position());
            LOG.info("{}: segment {} resumes after position {} with {} accounts", processorName,
                    segment.getSegmentId(), snapshot.position(), accounts.size());
            return EventLogMessageSource.tokenAt(snapshot.position());
        }

        @Override
        public void checkpoint(Segment segment, TrackingToken token) {
            long position = EventLogMessageSource.positionOf(token);
            var accounts = projection.accountsMatching(segment::matches);
            long bytes = snapshots.write(processorName, projection.version(), segment.getSegmentId(),
                    segment.getMask(), position, accounts);
            LOG.debug("{}: checkpointed segment {} at {} ({} accounts, {} bytes)", processorName,
                    segment.getSegmentId(), position, accounts.size(), bytes);
        }
    }
}
