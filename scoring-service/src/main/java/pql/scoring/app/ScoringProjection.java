package pql.scoring.app;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntPredicate;
import pql.eventstore.LogRecord;
import pql.eventstore.StoredEvent;
import pql.eventstore.StreamIds;
import pql.scoring.domain.definition.CompiledDefinition;
import pql.scoring.domain.event.AccountEvent;
import pql.scoring.domain.score.AccountState;
import pql.scoring.domain.score.AccountSummary;
import pql.scoring.domain.score.CohortPercentiles;
import pql.scoring.domain.score.PqlTransition;
import pql.scoring.wire.EnvelopeDecoder;
import pql.scoring.wire.ProductActionReader;
import pql.v1.EventEnvelope;

/**
 * Every account's state under one definition version, fed event by event from the log (by an Axon
 * processor, one thread per segment; an account always lands on the same segment). Serves reads
 * concurrently.
 *
 * <p>Transitions are always kept in a small ring of recent ones; they reach the live listener only
 * for events after {@link #liveAfter}: replaying history must not page the sales team again.
 */
public final class ScoringProjection {

    public static final int RECENT_TRANSITIONS = 1000;

    private final CompiledDefinition definition;
    private final long includeUpTo;
    private final ConcurrentHashMap<String, AccountState> accounts = new ConcurrentHashMap<>();
    private final LongAdder applied = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final TransitionRing recent = new TransitionRing(RECENT_TRANSITIONS);
    private final ConcurrentHashMap<Integer, Long> segmentPositions = new ConcurrentHashMap<>();
    /** Segments held by this process: id -> mask. */
    private final ConcurrentHashMap<Integer, Integer> heldSegments = new ConcurrentHashMap<>();
    /** How many segments this projection should hold; see {@link #expectSegments}. */
    private volatile java.util.function.IntSupplier expectedSegments = () -> 0;
    /** Segments in the middle of applying a chunk (or that failed in the middle of one). */
    private final java.util.Set<Integer> segmentsInFlight = ConcurrentHashMap.newKeySet();
    private volatile TransitionListener listener;
    private volatile AlertSink alerts;
    private volatile long liveAfter = Long.MAX_VALUE;
    private volatile AppliedListener appliedListener;
    private volatile ProjectionView lastView;
    /** When {@link #lastView} was built ({@link System#nanoTime}), with it. */
    private volatile BuiltView lastBuilt;

    private record BuiltView(ProjectionView view, long builtAtNanos) {
    }
    private final StatusTimers timers = new StatusTimers();
    /** Time-driven changes at or before this wall-clock instant are history; MIN_VALUE: no tick yet. */
    private volatile long timeDrivenNewsAfter = Long.MIN_VALUE;
    private final java.util.concurrent.atomic.LongAccumulator newestEventAt =
            new java.util.concurrent.atomic.LongAccumulator(Math::max, Long.MIN_VALUE);
    private volatile SegmentProgressListener segmentProgress;
    /**
     * Accounts restored or dropped as a whole (segment checkpoints loaded, segments released): they
     * change the views as much as applied events do, without applying any.
     */
    private final LongAdder accountsRestoredOrDropped = new LongAdder();

    /** Told after each applied event: freshness measurements. */
    @FunctionalInterface
    public interface AppliedListener {
        void applied(String accountId, long logPosition);
    }

    public ScoringProjection(CompiledDefinition definition) {
        this(definition, Long.MAX_VALUE);
    }

    /**
     * @param includeUpTo events whose event time is after this (epoch ms) are ignored: a projection
     *     of the log as of an instant
     */
    public ScoringProjection(CompiledDefinition definition, long includeUpTo) {
        this.definition = definition;
        this.includeUpTo = includeUpTo;
    }

    public CompiledDefinition definition() {
        return definition;
    }

    public int version() {
        return definition.version();
    }

    /** Applies one stored event; events of other streams and of unknown types are skipped. */
    public void apply(StoredEvent event) {
        apply(event, null);
    }

    /**
     * {@link #apply(StoredEvent)} reading product actions with {@code actions} (one per segment thread):
     * no String or object per event on the bulk of the log; null decodes everything the general way.
     */
    public void apply(StoredEvent event, ProductActionReader actions) {
        String streamId = event.streamId();
        if (!StreamIds.isAccountStream(streamId)) {
            return;
        }
        EventEnvelope envelope = event.envelope();
        boolean action = actions != null && actions.read(envelope);
        AccountEvent decoded = null;
        if (!action) {
            decoded = decodeOrCountSkipped(envelope.getType(), envelope.getSchemaRevision(), envelope.getPayload());
            if (decoded == null) {
                return;
            }
        }
        String accountId = envelope.getAccountId().isEmpty() ? StreamIds.accountIdOf(streamId) : envelope.getAccountId();
        applyTo(accountId, streamId.hashCode(), EnvelopeDecoder.occurredAtMillis(envelope), event.globalPosition(),
                decoded, actions);
    }

    /**
     * {@link #apply(StoredEvent, ProductActionReader)} for a record of the log as the store keeps it: the
     * envelope is read in place, never built (a product action, the replay's bulk, with no object at all;
     * other events have only their payload parsed), unless it is encoded in a way the reader leaves to
     * protobuf, and then it is parsed whole and applied as a {@link StoredEvent}. Same state either way.
     */
    public void apply(LogRecord record, ProductActionReader actions) {
        if (!record.streamStartsWith(StreamIds.ACCOUNT_PREFIX)) {
            return;
        }
        AccountEvent decoded = null;
        if (!actions.read(record)) {
            if (!actions.envelopeRead()) {
                apply(record.toStoredEvent(), actions);
                return;
            }
            decoded = decodeOrCountSkipped(actions.type(), actions.schemaRevision(), actions.payload());
            if (decoded == null) {
                return;
            }
        }
        String accountId = actions.accountId();
        if (accountId.isEmpty()) {
            accountId = StreamIds.accountIdOf(record.streamId());
        }
        applyTo(accountId, record.streamHash(), actions.occurredAtMillis(), record.globalPosition(), decoded, actions);
    }

    /** The account event, or null (counted as skipped) for a type or revision scoring does not read or a bad payload. */
    private AccountEvent decodeOrCountSkipped(String type, int schemaRevision, ByteString payload) {
        AccountEvent decoded;
        try {
            decoded = EnvelopeDecoder.decode(type, schemaRevision, payload);
        } catch (InvalidProtocolBufferException e) {
            decoded = null;
        }
        if (decoded == null) {
            skipped.increment();
        }
        return decoded;
    }

    /**
     * Applies one account event at event time {@code at}: {@code decoded}, or when it is null the product
     * action {@code actions} just read.
     */
    private void applyTo(String accountId, int streamHash, long at, long position, AccountEvent decoded,
            ProductActionReader actions) {
        if (at > includeUpTo) {
            return;
        }
        AccountState state = accounts.get(accountId);
        if (state == null) {
            state = accounts.computeIfAbsent(accountId, id -> new AccountState(definition, id, streamHash));
        }
        newestEventAt.accumulate(at);
        // what time alone changed before this event happened comes first, at the instant it happened
        PqlTransition timeDriven;
        while ((timeDriven = state.advanceStatusTo(at - 1)) != null) {
            route(timeDriven, position > liveAfter);
        }
        PqlTransition transition = decoded == null
                ? state.applyAction(actions.userBytes(), actions.userOffset(), actions.userLength(), actions.actionId(),
                        actions.quantity(), at, position)
                : state.apply(decoded, at, position);
        applied.increment();
        if (transition != null) {
            route(transition, position > liveAfter);
        }
        timers.arm(state);
        AppliedListener onApplied = appliedListener;
        if (onApplied != null) {
            onApplied.applied(accountId, position);
        }
    }

    private void route(PqlTransition transition, boolean news) {
        recent.add(transition);
        TransitionListener live = listener;
        if (live != null && news) {
            live.onTransition(transition);
        }
        AlertSink sink = alerts;
        if (sink != null) {
            sink.offer(transition);
        }
    }

    /**
     * Hands every transition, replayed history included, to {@code sink} (null stops): alerts decide
     * by the transition's instant what is news, and re-derive on a replay what a crash interrupted.
     */
    public void alertTo(AlertSink sink) {
        this.alerts = sink;
    }

    /**
     * Applies the time-driven changes due at or before {@code nowMillis} (the wall clock) to the accounts
     * whose timers are due. Call only once the projection has caught up with the log: before that, an
     * account's later events may not be applied yet. Changes that happened before the first call are
     * history (kept among the recent transitions, not published); later ones are news.
     *
     * @return the transitions made
     */
    public int applyStatusTimers(long nowMillis) {
        if (timeDrivenNewsAfter == Long.MIN_VALUE) {
            timeDrivenNewsAfter = nowMillis;
        }
        int made = 0;
        for (AccountState state : timers.takeDue(nowMillis)) {
            if (accounts.get(state.accountId()) != state) {
                continue; // its segment went to another process, or a replay started over
            }
            state.statusTimerFired();
            PqlTransition transition;
            while ((transition = state.advanceStatusTo(nowMillis)) != null) {
                route(transition, transition.at() > timeDrivenNewsAfter);
                made++;
            }
            timers.arm(state);
        }
        return made;
    }

    /** Accounts with a status timer armed (some may be stale and re-arm when they fire). */
    public int statusTimersPending() {
        return timers.pending();
    }

    /** Whether the projection has applied the log up to where it stood when this projection started serving. */
    public boolean caughtUpSinceServing() {
        long start = liveAfter;
        return start != Long.MAX_VALUE && processedPosition() >= start;
    }

    /** Whether events after {@code position} are news (appended after this projection started serving). */
    public boolean isLive(long position) {
        return position > liveAfter;
    }

    /** Routes transitions of events after {@code afterPosition} to {@code listener} (null stops). */
    public void publishTransitions(TransitionListener listener, long afterPosition) {
        this.liveAfter = afterPosition;
        this.listener = listener;
    }

    public void onApplied(AppliedListener listener) {
        this.appliedListener = listener;
    }

    public AccountState account(String accountId) {
        return accounts.get(accountId);
    }

    public Collection<AccountState> accounts() {
        return accounts.values();
    }

    public int accountCount() {
        return accounts.size();
    }

    public long eventsApplied() {
        return applied.sum();
    }

    public long eventsSkipped() {
        return skipped.sum();
    }

    public List<PqlTransition> recentTransitions(int limit, String accountId) {
        return recent.latest(limit, accountId);
    }

    /**
     * Every account evaluated at {@code instant} (epoch ms), with the engagement distribution of that
     * instant: one evaluation instant per answer. The last view is kept and served again while neither
     * the instant nor the accounts changed (dashboards ask for the same second many times). Readers
     * that waited while a view was built take that view when it holds every change they saw on
     * arrival, so under a steady stream of events one build serves all the readers queued behind
     * it instead of each building its own in turn (issue #13: score reads under an ingest flood).
     */
    public ProjectionView viewAt(long instant) {
        long changes = applied.sum() + accountsRestoredOrDropped.sum();
        ProjectionView last = lastView;
        if (last != null && last.instant() == instant && last.changes() == changes) {
            return last;
        }
        synchronized (this) {
            last = lastView;
            if (last != null && last.instant() == instant && last.changes() >= changes) {
                return last;
            }
            // counted before the summaries are read: the view holds at least these changes
            changes = applied.sum() + accountsRestoredOrDropped.sum();
            var cohort = definition.definition().engagement().cohort();
            List<AccountSummary> summaries = new ArrayList<>(accounts.size());
            for (AccountState state : accounts.values()) {
                summaries.add(state.summaryAt(cohort, instant));
            }
            ProjectionView view = new ProjectionView(instant, List.copyOf(summaries), CohortPercentiles.of(summaries),
                    changes);
            lastView = view;
            lastBuilt = new BuiltView(view, System.nanoTime());
            return view;
        }
    }

    /**
     * The engagement percentiles for one account's score at {@code instant}: the view already
     * built, if it was built at most {@code maxAgeNanos} ago for an instant at most that long (and
     * at least one second) before, even when events were applied since (the background rebuilds
     * it every {@code percentileRefresh}); otherwise {@link #viewAt}'s. So a single score read
     * under a stream of events neither rebuilds every account's summary nor waits for a rebuild
     * that is late because the flood takes the CPU (issue #13); lists and exports still get
     * {@link #viewAt}'s exact view of their instant.
     */
    public CohortPercentiles percentilesAt(long instant, long maxAgeNanos) {
        BuiltView built = lastBuilt;
        long window = Math.max(1_000, TimeUnit.NANOSECONDS.toMillis(maxAgeNanos));
        if (built != null && built.view().instant() <= instant && instant - built.view().instant() <= window
                && System.nanoTime() - built.builtAtNanos() <= maxAgeNanos) {
            return built.view().percentiles();
        }
        return viewAt(instant).percentiles();
    }

    /**
     * The newest event time among the events applied (epoch ms): at or after it, every account can be
     * evaluated from memory; before it, the past must be replayed. Only grows until {@link #clear}.
     */
    public long newestEventAt() {
        return newestEventAt.get();
    }

    // --- segments: positions and snapshots (the projection's state is consistent per segment) ---

    /** The segment has applied the log up to {@code position} (a whole chunk, or a restored checkpoint). */
    public void recordSegmentPosition(int segmentId, long position) {
        long now = segmentPositions.merge(segmentId, position, Math::max);
        segmentsInFlight.remove(segmentId);
        // known_at: the segment's accounts hold exactly the log up to `now` here, on the segment's thread
        SegmentProgressListener progress = segmentProgress;
        Integer mask = heldSegments.get(segmentId);
        if (progress != null && mask != null) {
            progress.segmentAt(this, segmentId, mask, now);
        }
    }

    /**
     * Told on a segment's own thread each time the segment's accounts hold exactly the log up to a
     * position (after a chunk, or a restored checkpoint): the moment to snapshot them by position.
     */
    @FunctionalInterface
    public interface SegmentProgressListener {
        void segmentAt(ScoringProjection projection, int segmentId, int mask, long position);
    }

    public void onSegmentProgress(SegmentProgressListener listener) {
        this.segmentProgress = listener;
    }

    /** The segment starts applying a chunk: until it records its position, its state is between two. */
    public void beginSegmentChunk(int segmentId) {
        segmentsInFlight.add(segmentId);
    }

    /** Whether the segment's accounts hold exactly the log up to {@code position}: safe to checkpoint. */
    public boolean segmentConsistentAt(int segmentId, long position) {
        return !segmentsInFlight.contains(segmentId) && segmentPosition(segmentId) == position;
    }

    /** The position up to which the segment's accounts include the log; BEFORE_FIRST_POSITION for none. */
    public long segmentPosition(int segmentId) {
        return segmentPositions.getOrDefault(segmentId, pql.eventstore.StreamVersions.BEFORE_FIRST_POSITION);
    }

    /** This process holds the segment (Axon's segment id and mask) from now on. */
    public void holdSegment(int segmentId, int mask) {
        heldSegments.put(segmentId, mask);
    }

    /** The segment went to another process (or the processor stopped): forget its accounts and position. */
    public void releaseSegment(int segmentId) {
        Integer mask = heldSegments.remove(segmentId);
        if (mask != null) {
            dropMatching(hash -> (hash & mask) == segmentId);
        }
        forgetSegment(segmentId);
    }

    /** Whether the account of a stream with this hash belongs to a segment this process holds. */
    public boolean holds(int streamHash) {
        for (var segment : heldSegments.entrySet()) {
            if ((streamHash & segment.getValue()) == segment.getKey()) {
                return true;
            }
        }
        return false;
    }

    public int heldSegmentCount() {
        return heldSegments.size();
    }

    public void forgetSegment(int segmentId) {
        segmentPositions.remove(segmentId);
        segmentsInFlight.remove(segmentId);
    }

    /**
     * Every event at or before this position has been applied by every segment that reported, and as
     * many have reported as this projection {@linkplain #expectSegments expects} to hold: while one is
     * still unclaimed or restoring, nothing is complete yet (0), however far the others got.
     */
    public long processedPosition() {
        if (segmentPositions.size() < expectedSegments()) {
            return pql.eventstore.StreamVersions.BEFORE_FIRST_POSITION;
        }
        long min = Long.MAX_VALUE;
        for (long position : segmentPositions.values()) {
            min = Math.min(min, position);
        }
        return min == Long.MAX_VALUE ? 0 : min;
    }

    /**
     * How many segments this projection should hold: every one when a process runs it alone, its fair
     * share when processes split them (asked each time: the share changes as processes come and go).
     * Not told (a projection fed by hand): 0, any number will do.
     */
    public void expectSegments(java.util.function.IntSupplier expected) {
        this.expectedSegments = expected;
    }

    public int expectedSegments() {
        return Math.max(0, expectedSegments.getAsInt());
    }

    /**
     * Where the segments stand against {@code target}: how many this projection should hold, how many
     * it holds, how many are restored (their checkpoint loaded, or none to load) and how many of those
     * have applied the log up to {@code target}.
     */
    public SegmentProgress segmentProgress(long target) {
        int caughtUp = 0;
        long slowest = Long.MAX_VALUE;
        for (long position : segmentPositions.values()) {
            if (position >= target) {
                caughtUp++;
            }
            slowest = Math.min(slowest, position);
        }
        return new SegmentProgress(expectedSegments(), heldSegments.size(), segmentPositions.size(), caughtUp,
                slowest == Long.MAX_VALUE ? pql.eventstore.StreamVersions.BEFORE_FIRST_POSITION : slowest, target);
    }

    /** See {@link #segmentProgress}; {@code slowest}: the lowest position of a restored segment. */
    public record SegmentProgress(int expected, int held, int restored, int caughtUp, long slowest, long target) {

        /** Every segment it should hold (at least one) is restored and caught up to the target. */
        public boolean complete() {
            return caughtUp >= Math.max(1, expected);
        }
    }

    public List<AccountState> accountsMatching(IntPredicate streamHash) {
        List<AccountState> found = new ArrayList<>();
        for (AccountState state : accounts.values()) {
            if (streamHash.test(state.streamHash())) {
                found.add(state);
            }
        }
        return found;
    }

    public void dropMatching(IntPredicate streamHash) {
        if (accounts.values().removeIf(state -> streamHash.test(state.streamHash()))) {
            accountsRestoredOrDropped.increment();
        }
    }

    public void restore(Collection<AccountState> states) {
        for (AccountState state : states) {
            accounts.put(state.accountId(), state);
            newestEventAt.accumulate(state.newestEventAt());
            timers.arm(state);
        }
        if (!states.isEmpty()) {
            accountsRestoredOrDropped.increment();
        }
    }

    /** Forgets everything (a replay from the start follows). */
    public void clear() {
        accounts.clear();
        segmentPositions.clear();
        segmentsInFlight.clear();
        recent.clear();
        applied.reset();
        skipped.reset();
        lastView = null;
        lastBuilt = null;
        newestEventAt.reset();
        timers.clear();
    }
}
