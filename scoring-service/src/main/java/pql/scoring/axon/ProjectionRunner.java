package pql.scoring.axon;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pql.eventstore.EventStore;
import pql.eventstore.StreamVersions;
import pql.processing.ChunkedEventLogSource;
import pql.processing.EventLogMessageSource;
import pql.processing.ProjectionProcessor;
import pql.processing.ProjectionProcessorSpec;
import pql.processing.ProjectionProcessors;
import pql.scoring.app.ProcessorMembership;
import pql.scoring.app.ScoringProjection;
import pql.scoring.domain.score.AccountState;
import pql.scoring.store.SegmentCheckpointStore;
import pql.scoring.store.SegmentSnapshot;

/**
 * Runs one {@link ScoringProjection} as an Axon pooled streaming processor over the event log: one
 * processor per definition version (the name carries the version), segments by account, state
 * checkpointed per segment together with its token (see {@link SnapshottingTokenStore}). With a shared
 * {@link Sharing} (a JDBC token store, its transactions and a membership), several processes run the
 * same processor and split its segments: each claims its fair share, releases (and checkpoints) what
 * is over it when another process joins, and takes over the segments of one that left or died.
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

    /**
     * Where claims live and who else runs the processors.
     *
     * @param tokens the claim store (token values come from the checkpoints)
     * @param transactions around claims, token updates and checkpoints (a JDBC token store needs real ones)
     * @param membership the processes running each processor, for fair shares
     * @param claimInterval how often unclaimed segments are looked for
     */
    public record Sharing(TokenStore tokens, TransactionManager transactions, ProcessorMembership membership,
            Duration claimInterval) {

        /** One process, claims in memory. */
        public static Sharing local(TokenStore tokens) {
            return new Sharing(tokens, NoTransactionManager.INSTANCE, ProcessorMembership.solo(), Duration.ofMillis(500));
        }
    }

    private final ScoringProjection projection;
    private final String processorName;
    private final EventStore store;
    private final Sharing sharing;
    private final SegmentCheckpointStore snapshots;
    private final Settings settings;
    private final Clock clock;
    private final ProjectionTelemetry telemetry;
    private SnapshottingTokenStore checkpointingTokens;
    private ProjectionProcessor processor;
    /** Set while stopping: released segments keep their accounts (an as-of export reads them afterwards). */
    private volatile boolean stopping;

    public ProjectionRunner(ScoringProjection projection, String processorName, EventStore store, TokenStore tokens,
            SegmentCheckpointStore snapshots, Settings settings, Clock clock) {
        this(projection, processorName, store, Sharing.local(tokens), snapshots, settings, clock);
    }

    public ProjectionRunner(ScoringProjection projection, String processorName, EventStore store, Sharing sharing,
            SegmentCheckpointStore snapshots, Settings settings, Clock clock) {
        this(projection, processorName, store, sharing, snapshots, settings, clock, ProjectionTelemetry.NONE);
    }

    public ProjectionRunner(ScoringProjection projection, String processorName, EventStore store, Sharing sharing,
            SegmentCheckpointStore snapshots, Settings settings, Clock clock, ProjectionTelemetry telemetry) {
        this.telemetry = telemetry;
        this.projection = projection;
        this.processorName = processorName;
        this.store = store;
        this.sharing = sharing;
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
        checkpointingTokens = new SnapshottingTokenStore(sharing.tokens(), processorName, new Checkpoints(),
                settings.checkpointInterval() == null ? Duration.ofDays(3650) : settings.checkpointInterval(), clock);
        ProcessorMembership membership = sharing.membership();
        membership.join(processorName);
        // the projection is complete (and ready to serve) only with as many segments as this process should hold
        projection.expectSegments(() -> membership.fairShare(processorName, settings.segments()));
        ProjectionProcessors.Options options = ProjectionProcessors.Options.defaults()
                .withTransactionManager(sharing.transactions())
                .withClaimIntervals(sharing.claimInterval(), sharing.claimInterval().multipliedBy(2))
                .withMaxClaimedSegments(() -> membership.fairShare(processorName, settings.segments()));
        processor = ProjectionProcessors.chunked(
                new ProjectionProcessorSpec(processorName, settings.segments(), settings.batchSize(), checkpointingTokens),
                new ChunkedEventLogSource(store, settings.maxChunk(), settings.readers(), processorName),
                new ProjectionChunkHandler(projection, processorName, telemetry), options);
        processor.start();
    }

    public synchronized boolean isRunning() {
        return processor != null && processor.isRunning();
    }

    /** Number of segments this runner currently processes. */
    public synchronized int claimedSegments() {
        return processor == null ? 0 : processor.claimedSegments();
    }

    /**
     * Stops processing; when checkpoints are on, every segment is checkpointed as its claim is released,
     * so a restart (or another process) resumes exactly there.
     */
    public synchronized void stop() {
        shutDown(true);
    }

    /** Stops without a last checkpoint, as a crash would (tests). */
    public synchronized void halt() {
        shutDown(false);
    }

    private void shutDown(boolean checkpoint) {
        if (processor == null) {
            return;
        }
        checkpointingTokens.checkpointOnRelease(checkpoint);
        stopping = true;
        try {
            processor.close();
        } finally {
            stopping = false;
        }
        sharing.membership().leave(processorName);
        processor = null;
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

    private final class Checkpoints implements SegmentCheckpoints {

        @Override
        public TrackingToken restore(Segment segment) {
            int segmentId = segment.getSegmentId();
            projection.releaseSegment(segmentId);
            projection.dropMatching(segment::matches);
            projection.holdSegment(segmentId, segment.getMask());
            Optional<SegmentSnapshot> loaded = snapshots == null ? Optional.empty()
                    : snapshots.load(processorName, segmentId, projection.definition());
            SegmentSnapshot snapshot = loaded.orElse(null);
            if (snapshot == null || snapshot.mask() != segment.getMask() || snapshot.position() < 0) {
                if (snapshot != null) {
                    LOG.info("{}: the checkpoint of segment {} does not fit its layout now; replaying it", processorName,
                            segmentId);
                }
                projection.recordSegmentPosition(segmentId, StreamVersions.BEFORE_FIRST_POSITION);
                return null;
            }
            List<AccountState> accounts = snapshot.accounts();
            projection.restore(accounts);
            projection.recordSegmentPosition(segmentId, snapshot.position());
            LOG.info("{}: segment {} resumes after position {} with {} accounts", processorName, segmentId,
                    snapshot.position(), accounts.size());
            return EventLogMessageSource.tokenAt(snapshot.position());
        }

        @Override
        public void checkpoint(Segment segment, TrackingToken token, Runnable claimCheck) {
            if (snapshots == null) {
                claimCheck.run();
                return;
            }
            long position = EventLogMessageSource.positionOf(token);
            var accounts = projection.accountsMatching(segment::matches);
            long bytes = snapshots.write(processorName, projection.version(), segment.getSegmentId(),
                    segment.getMask(), position, accounts, claimCheck);
            LOG.debug("{}: checkpointed segment {} at {} ({} accounts, {} bytes)", processorName,
                    segment.getSegmentId(), position, accounts.size(), bytes);
        }

        @Override
        public void release(Segment segment, TrackingToken lastStored, Runnable claimCheck) {
            int segmentId = segment.getSegmentId();
            try {
                if (snapshots != null && lastStored != null
                        && projection.segmentConsistentAt(segmentId, EventLogMessageSource.positionOf(lastStored))) {
                    checkpoint(segment, lastStored, claimCheck);
                    LOG.info("{}: released segment {} at position {}", processorName, segmentId,
                            EventLogMessageSource.positionOf(lastStored));
                }
            } catch (RuntimeException e) {
                // most likely the claim went to another process already: its owner has the say now
                LOG.warn("{}: no checkpoint of released segment {}: {}", processorName, segmentId, e.getMessage());
            } finally {
                if (!stopping) {
                    // handed to another process: what this one still holds of the segment would go stale
                    projection.releaseSegment(segmentId);
                }
            }
        }
    }
}
