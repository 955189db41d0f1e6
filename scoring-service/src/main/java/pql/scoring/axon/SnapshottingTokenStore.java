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
 * A token store that keeps an in-memory projection and its tokens in agreement across restarts.
 *
 * <p>Claims and segment bookkeeping go to the delegate (Axon's {@code InMemoryTokenStore} by default;
 * a shared {@code JdbcTokenStore} lets several processes split the segments). Token values, though,
 * come from the projection's own checkpoints: when Axon stores a segment's token and the last
 * checkpoint of that segment is older than the interval, the segment's account states are written
 * together with that token; when a segment is claimed, {@code fetchToken} answers the token of the
 * checkpoint that was loaded. So the state a processor resumes with always holds exactly the events
 * up to the token it resumes from: nothing is lost and nothing is counted twice, whatever the
 * delegate remembers.
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
    private final Map<Integer, TrackingToken> lastCheckpointed = new ConcurrentHashMap<>();

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
        if (ours(processorName) && token != null) {
            lastStored.put(segmentId, token);
            Segment segment = claimed.get(segmentId);
            long now = clock.millis();
            if (segment != null && now - lastCheckpointAt.getOrDefault(segmentId, now) >= intervalMillis) {
                checkpoints.checkpoint(segment, token);
                lastCheckpointAt.put(segmentId, now);
                lastCheckpointed.put(segmentId, token);
            }
        }
        delegate.storeToken(token, processorName, segmentId);
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
            lastCheckpointed.put(segment.getSegmentId(), restored);
        }
        return restored;
    }

    @Override
    public void extendClaim(String processorName, int segment) {
        delegate.extendClaim(processorName, segment);
    }

    @Override
    public void releaseClaim(String processorName, int segment) {
        delegate.releaseClaim(processorName, segment);
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

    /**
     * Checkpoints every claimed segment whose last stored token is newer than its last checkpoint.
     * Only call once the processor has stopped (no batch in flight).
     */
    void checkpointAll() {
        for (Map.Entry<Integer, TrackingToken> stored : lastStored.entrySet()) {
            int segmentId = stored.getKey();
            Segment segment = claimed.get(segmentId);
            if (segment != null && !stored.getValue().equals(lastCheckpointed.get(segmentId))) {
                checkpoints.checkpoint(segment, stored.getValue());
                lastCheckpointed.put(segmentId, stored.getValue());
            }
        }
    }
}
