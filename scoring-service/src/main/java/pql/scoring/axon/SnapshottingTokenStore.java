package pql.scoring.axon;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;

/**
 * A token store that keeps an in-memory projection and its tokens in agreement, across restarts and
 * across processes.
 *
 * <p>Claims and segment bookkeeping go to the delegate (Axon's {@code InMemoryTokenStore} for one
 * process; a shared {@code JdbcTokenStore} lets several processes split the segments). Token values,
 * though, come from the projection's own checkpoints: when Axon stores a segment's token and the last
 * checkpoint of that segment is older than the interval, the segment's account states are written with
 * that token (the token update first, in the same transaction: it fails unless this process still owns
 * the segment); when a segment is claimed, {@code fetchToken} answers the token of the checkpoint it
 * loaded; when a claim is released (shut-down, or handing the segment to another process), the segment
 * is checkpointed where it stands and its accounts are dropped. So the state a processor resumes with
 * always holds exactly the events up to the token it resumes from: nothing is lost and nothing is
 * counted twice, whatever the delegate remembers and whichever process held the segment before.
 */
public final class SnapshottingTokenStore implements TokenStore {

    private final TokenStore delegate;
    private final String processorName;
    private final SegmentCheckpoints checkpoints;
    private final long intervalMillis;
    private final Clock clock;
    private final Map<Integer, Segment> claimed = new ConcurrentHashMap<>();
    private final Map<Integer, Long> lastCheckpointAt = new ConcurrentHashMap<>();
    private final Map<Integer, TrackingToken> lastStored = new ConcurrentHashMap<>();
    private volatile boolean checkpointOnRelease = true;

    SnapshottingTokenStore(TokenStore delegate, String processorName, SegmentCheckpoints checkpoints,
            Duration interval, Clock clock) {
        this.delegate = delegate;
        this.processorName = processorName;
        this.checkpoints = checkpoints;
        this.intervalMillis = interval.toMillis();
        this.clock = clock;
    }

    private boolean ours(String processor) {
        return processorName.equals(processor);
    }

    /** Whether releasing a claim checkpoints the segment first (off to stop as a crash would). */
    void checkpointOnRelease(boolean enabled) {
        checkpointOnRelease = enabled;
    }

    @Override
    public void initializeTokenSegments(String processorName, int segmentCount) {
        delegate.initializeTokenSegments(processorName, segmentCount);
    }

    @Override
    public void initializeTokenSegments(String processorName, int segmentCount, TrackingToken initialToken) {
        delegate.initializeTokenSegments(processorName, segmentCount, initialToken);
    }

    @Override
    public void initializeSegment(TrackingToken token, String processorName, int segment) {
        delegate.initializeSegment(token, processorName, segment);
    }

    @Override
    public void storeToken(TrackingToken token, String processorName, int segmentId) {
        if (!ours(processorName) || token == null) {
            delegate.storeToken(token, processorName, segmentId);
            return;
        }
        Segment segment = claimed.get(segmentId);
        long now = clock.millis();
        if (segment != null && now - lastCheckpointAt.getOrDefault(segmentId, now) >= intervalMillis) {
            checkpoints.checkpoint(segment, token, () -> delegate.storeToken(token, processorName, segmentId));
            lastCheckpointAt.put(segmentId, now);
        } else {
            delegate.storeToken(token, processorName, segmentId);
        }
        lastStored.put(segmentId, token);
    }

    @Override
    public TrackingToken fetchToken(String processorName, int segmentId) {
        if (!ours(processorName)) {
            return delegate.fetchToken(processorName, segmentId);
        }
        return fetchToken(processorName, Segment.computeSegment(segmentId, delegate.fetchSegments(processorName)));
    }

    @Override
    public TrackingToken fetchToken(String processorName, Segment segment) throws UnableToClaimTokenException {
        TrackingToken claimedToken = delegate.fetchToken(processorName, segment);
        if (!ours(processorName)) {
            return claimedToken;
        }
        TrackingToken restored = checkpoints.restore(segment);
        claimed.put(segment.getSegmentId(), segment);
        lastCheckpointAt.put(segment.getSegmentId(), clock.millis());
        if (restored != null) {
            lastStored.put(segment.getSegmentId(), restored);
        } else {
            lastStored.remove(segment.getSegmentId());
        }
        return restored;
    }

    @Override
    public void extendClaim(String processorName, int segment) {
        delegate.extendClaim(processorName, segment);
    }

    @Override
    public void releaseClaim(String processorName, int segmentId) {
        if (ours(processorName)) {
            Segment segment = claimed.remove(segmentId);
            TrackingToken stored = lastStored.remove(segmentId);
            lastCheckpointAt.remove(segmentId);
            if (segment != null) {
                TrackingToken toCheckpoint = checkpointOnRelease ? stored : null;
                checkpoints.release(segment, toCheckpoint,
                        () -> delegate.storeToken(toCheckpoint, processorName, segmentId));
            }
        }
        delegate.releaseClaim(processorName, segmentId);
    }

    @Override
    public void deleteToken(String processorName, int segment) {
        delegate.deleteToken(processorName, segment);
    }

    @Override
    public boolean requiresExplicitSegmentInitialization() {
        return delegate.requiresExplicitSegmentInitialization();
    }

    @Override
    public int[] fetchSegments(String processorName) {
        return delegate.fetchSegments(processorName);
    }

    @Override
    public List<Segment> fetchAvailableSegments(String processorName) {
        return delegate.fetchAvailableSegments(processorName);
    }

    @Override
    public Optional<String> retrieveStorageIdentifier() {
        return delegate.retrieveStorageIdentifier();
    }
}
