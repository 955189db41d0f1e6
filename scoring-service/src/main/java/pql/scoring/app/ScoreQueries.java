package pql.scoring.app;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.Semaphore;
import pql.eventstore.EventStore;
import pql.eventstore.StoredEvent;
import pql.eventstore.StreamIds;
import pql.scoring.domain.event.AccountEvent;
import pql.scoring.domain.score.AccountScore;
import pql.scoring.domain.score.AccountState;
import pql.scoring.domain.score.AccountSummary;
import pql.scoring.domain.score.CohortPercentiles;
import pql.scoring.domain.score.ScoreEvaluator;
import pql.scoring.wire.EnvelopeDecoder;

/**
 * Reads of account scores. Every answer evaluates all its accounts at one instant: {@code as_of} when
 * asked, else the clock at the request truncated to the second (so the answers of one second agree and
 * share one evaluation). Decay, windows, activity and PQL kinds follow that instant: an account that
 * went silent decays without any new event.
 *
 * <p>At or after the projection's newest event time the materialised projection answers from memory;
 * an earlier instant folds the account's own stream (one account) or replays the log up to it (lists
 * and exports). A folded account's percentile ranks it against the materialised projection evaluated
 * at the same instant: a historical distribution needs every account as of that instant, which is what
 * the replay builds.
 *
 * <p>An account whose newest event is dated after the instant (ahead of the clock, within the ingest
 * clock-skew allowance) is evaluated at its newest event: a state cannot un-apply events.
 */
public final class ScoreQueries {

    public static final int CHUNK = 500;
    private static final int READ_PAGE = 1000;

    private final ProjectionRollout projections;
    private final EventStore store;
    private final ProjectionEngine engine;
    private final Duration asOfExportTimeout;
    private final Clock clock;
    /** How old the percentiles of a single score may be (0: exact, rebuilt after any event). */
    private volatile long percentileMaxAgeNanos;
    private final PastKnowledge knowledge;
    private final Semaphore asOfExports = new Semaphore(1);

    /** Without snapshots: a known_at read replays the log up to its position (tests). */
    public ScoreQueries(ProjectionRollout projections, EventStore store, ProjectionEngine engine,
            Duration asOfExportTimeout, Clock clock) {
        this(projections, store, engine, asOfExportTimeout, clock, new PastKnowledge(store,
                new RecordedTimeIndex(store, null), null, projections::compiled, clock, Duration.ZERO,
                asOfExportTimeout));
    }

    /** @param knowledge answers known_at reads: what was known at an instant */
    public ScoreQueries(ProjectionRollout projections, EventStore store, ProjectionEngine engine,
            Duration asOfExportTimeout, Clock clock, PastKnowledge knowledge) {
        this.projections = projections;
        this.store = store;
        this.engine = engine;
        this.asOfExportTimeout = asOfExportTimeout;
        this.clock = clock;
        this.knowledge = knowledge;
    }

    /**
     * Lets a single account's score use engagement percentiles built up to {@code maxAge} before
     * (the scoring module passes {@code percentileMaxAge}; they are rebuilt every
     * {@code percentileRefresh} in the background), instead of rebuilding every account's summary
     * after each event applied or waiting for a rebuild that is late under load.
     */
    public ScoreQueries percentileMaxAge(Duration maxAge) {
        this.percentileMaxAgeNanos = maxAge.toNanos();
        return this;
    }

    /** What {@code version} (resolved) was known at {@code knownAtMillis}, as of {@code asOfMillis} (null: any time). */
    public PastKnowledge.Known known(int version, long knownAtMillis, Long asOfMillis) {
        return knowledge.projection(projections.resolve(version), knownAtMillis, asOfMillis);
    }

    /** The log position a read without known_at includes: the projection's processed position, else the head. */
    public long headPosition(int version) {
        return projections.materialized(projections.resolve(version)).map(ScoringProjection::processedPosition)
                .orElseGet(engine::headPosition);
    }

    /** The log position a known_at read includes events up to (every event recorded at or before it). */
    public long positionKnownAt(long knownAtMillis) {
        return knowledge.positionKnownAt(knownAtMillis);
    }

    /** The evaluation instant of a request: {@code asOfMillis}, or now to the second when null. */
    public long instantOf(Long asOfMillis) {
        if (asOfMillis != null) {
            return asOfMillis;
        }
        return ProjectionView.secondOf(clock.millis());
    }

    /** One account's score, as of {@code asOfMillis} (null: now) under {@code version} (0: active). */
    public AccountScore accountScore(String accountId, Long asOfMillis, int version, boolean full) {
        return accountScore(accountId, asOfMillis, version, full, null);
    }

    /** ... with only the events recorded at or before {@code knownAtMillis} (null: everything recorded so far). */
    public AccountScore accountScore(String accountId, Long asOfMillis, int version, boolean full, Long knownAtMillis) {
        int resolved = projections.resolve(version);
        long instant = instantOf(asOfMillis);
        if (knownAtMillis != null) {
            PastKnowledge.Known known = knowledge.projection(resolved, knownAtMillis, asOfMillis);
            AccountState state = knowledge.account(known, accountId);
            return ScoreEvaluator.evaluate(state, Math.max(instant, state.newestEventAt()),
                    known.projection().viewAt(instant).percentiles()::ofMember, full);
        }
        var materialized = projections.materialized(resolved);
        if (materialized.isPresent()) {
            ScoringProjection projection = materialized.get();
            AccountState state = projection.account(accountId);
            if (state != null && (asOfMillis == null || asOfMillis >= state.newestEventAt())) {
                return ScoreEvaluator.evaluate(state, Math.max(instant, state.newestEventAt()),
                        projection.percentilesAt(instant, percentileMaxAgeNanos)::ofMember, full);
            }
            if (state == null && projection.holds(StreamIds.forAccount(accountId).hashCode())) {
                throw new ScoringException.NotFound("account " + accountId + " has no events");
            }
            // an instant before its newest event, or another process holds this account's segment: fold it
        }
        AccountState folded = fold(accountId, resolved, asOfMillis);
        CohortPercentiles percentiles = materialized.orElse(projections.serving()).viewAt(instant).percentiles();
        return ScoreEvaluator.evaluate(folded, Math.max(instant, folded.newestEventAt()), percentiles::ofOutsider,
                full);
    }

    private AccountState fold(String accountId, int version, Long asOfMillis) {
        String stream = StreamIds.forAccount(accountId);
        AccountState state = new AccountState(projections.compiled(version), accountId, stream.hashCode());
        long from = 0;
        List<StoredEvent> page;
        do {
            page = store.readStream(stream, from, READ_PAGE);
            for (StoredEvent event : page) {
                from = event.streamVersion() + 1;
                AccountEvent decoded;
                try {
                    decoded = EnvelopeDecoder.decode(event.envelope());
                } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                    continue;
                }
                long at = EnvelopeDecoder.occurredAtMillis(event.envelope());
                if (decoded == null || (asOfMillis != null && at > asOfMillis)) {
                    continue;
                }
                state.apply(decoded, at, event.globalPosition());
            }
        } while (page.size() == READ_PAGE);
        if (state.eventsApplied() == 0) {
            throw new ScoringException.NotFound("account " + accountId + " has no events"
                    + (asOfMillis == null ? "" : " as of " + java.time.Instant.ofEpochMilli(asOfMillis)));
        }
        return state;
    }

    /** Where the next page starts: after this key and account id. */
    public record Cursor(double key, String accountId) {
    }

    /**
     * @param instant the evaluation instant of every score of the page
     * @param headPosition the log position the scores include events up to
     */
    public record ScorePage(List<AccountScore> scores, Cursor next, long totalSize, int version, long instant,
            long headPosition) {
    }

    /** The PQL spectrum as of {@code asOfMillis} (null: now): filtered, ordered and paged (keyset paging). */
    public ScorePage list(AccountFilter filter, AccountOrder order, int pageSize, Cursor after, int version,
            boolean full, Long asOfMillis) {
        return list(filter, order, pageSize, after, version, full, asOfMillis, null);
    }

    /**
     * ... as known at {@code knownAtMillis} (null: everything recorded so far). A known_at, or an as_of before
     * the projection's newest event, takes the projection {@link PastKnowledge} builds (as_of alone: known at
     * the log's head), where the accounts with events after as_of are refolded without them.
     */
    public ScorePage list(AccountFilter filter, AccountOrder order, int pageSize, Cursor after, int version,
            boolean full, Long asOfMillis, Long knownAtMillis) {
        int resolved = projections.resolve(version);
        long instant = instantOf(asOfMillis);
        if (knownAtMillis == null && asOfMillis == null) {
            ScoringProjection current = materializedOrFail(resolved);
            return page(current, current.processedPosition(), filter, order, pageSize, after, full, instant);
        }
        if (knownAtMillis == null) {
            ScoringProjection current = materializedOrFail(resolved);
            if (asOfMillis >= current.newestEventAt()) {
                return page(current, current.processedPosition(), filter, order, pageSize, after, full, instant);
            }
        }
        PastKnowledge.Known known = knowledge.projection(resolved,
                knownAtMillis != null ? knownAtMillis : Long.MAX_VALUE, asOfMillis);
        return page(known.projection(), known.position(), filter, order, pageSize, after, full, instant);
    }

    private ScorePage page(ScoringProjection projection, long head, AccountFilter filter, AccountOrder order,
            int pageSize, Cursor after, boolean full, long instant) {
        ProjectionView view = projection.viewAt(instant);
        List<Keyed> matching = new ArrayList<>();
        for (AccountSummary summary : view.summaries()) {
            if (filter.matches(summary)) {
                matching.add(new Keyed(order.keyOf(summary), summary.accountId()));
            }
        }
        matching.sort(Keyed.ORDER);
        int start = 0;
        if (after != null) {
            Keyed cursor = new Keyed(after.key(), after.accountId());
            while (start < matching.size() && Keyed.ORDER.compare(matching.get(start), cursor) <= 0) {
                start++;
            }
        }
        int end = Math.min(matching.size(), start + pageSize);
        List<AccountScore> scores = new ArrayList<>(end - start);
        CohortPercentiles percentiles = view.percentiles();
        for (int i = start; i < end; i++) {
            AccountState state = projection.account(matching.get(i).accountId());
            if (state != null) {
                scores.add(ScoreEvaluator.evaluate(state, Math.max(instant, state.newestEventAt()),
                        percentiles::ofMember, full));
            }
        }
        Cursor next = end < matching.size() ? new Cursor(matching.get(end - 1).key(), matching.get(end - 1).accountId())
                : null;
        return new ScorePage(scores, next, matching.size(), projection.version(), instant, head);
    }

    private ScoringProjection materializedOrFail(int version) {
        return projections.materialized(version).orElseThrow(() -> new ScoringException.FailedPrecondition(
                "version " + version + " is not materialised: rescore it first (or ask for one account)"));
    }

    private record Keyed(double key, String accountId) {
        static final Comparator<Keyed> ORDER = Comparator.comparingDouble(Keyed::key).thenComparing(Keyed::accountId);
    }

    /** A running export: its head position and its chunks. Close it when done (it may hold a projection). */
    public interface Export extends Iterator<List<AccountScore>>, AutoCloseable {
        long headPosition();

        int version();

        /** The evaluation instant of every score of the export. */
        long instant();

        @Override
        void close();
    }

    /**
     * Every matching account as of {@code asOfMillis} (null: now), in chunks of at most {@value #CHUNK}, by
     * account id; with {@code changedAfterPosition}, only accounts changed by events after that position.
     */
    public Export export(AccountFilter filter, int version, Long asOfMillis, boolean full, long changedAfterPosition) {
        return export(filter, version, asOfMillis, full, changedAfterPosition, null);
    }

    /** ... with only the events recorded at or before {@code knownAtMillis} (null: everything recorded so far). */
    public Export export(AccountFilter filter, int version, Long asOfMillis, boolean full, long changedAfterPosition,
            Long knownAtMillis) {
        int resolved = projections.resolve(version);
        long instant = instantOf(asOfMillis);
        if (knownAtMillis != null) {
            PastKnowledge.Known known = knowledge.projection(resolved, knownAtMillis, asOfMillis);
            return exportOf(known.projection(), known.position(), filter, full, 0, instant, () -> { });
        }
        ScoringProjection projection = materializedOrFail(resolved);
        if (asOfMillis != null && asOfMillis < projection.newestEventAt()) {
            Replayed past = replayAsOf(resolved, asOfMillis);
            return exportOf(past.projection(), past.headPosition(), filter, full, 0, instant, asOfExports::release);
        }
        return exportOf(projection, projection.processedPosition(), filter, full, changedAfterPosition, instant,
                () -> { });
    }

    private static Export exportOf(ScoringProjection projection, long head, AccountFilter filter, boolean full,
            long changedAfterPosition, long instant, Runnable onClose) {
        ProjectionView view = projection.viewAt(instant);
        List<String> ids = new ArrayList<>();
        for (AccountSummary summary : view.summaries()) {
            if (summary.logPosition() > changedAfterPosition && filter.matches(summary)) {
                ids.add(summary.accountId());
            }
        }
        ids.sort(Comparator.naturalOrder());
        CohortPercentiles percentiles = view.percentiles();
        return new ChunkedExport(ids, head, projection.version(), instant, id -> {
            AccountState state = projection.account(id);
            return state == null ? null : ScoreEvaluator.evaluate(state, Math.max(instant, state.newestEventAt()),
                    percentiles::ofMember, full);
        }, onClose);
    }

    private record Replayed(ScoringProjection projection, long headPosition) {
    }

    /**
     * Replays the log up to {@code asOfMillis} (event time) into a temporary projection. Holds the as-of
     * permit on success: the caller releases it once done with the projection.
     */
    private Replayed replayAsOf(int version, long asOfMillis) {
        if (!asOfExports.tryAcquire()) {
            throw new ScoringException.ResourceExhausted("an as-of replay is already running; retry later");
        }
        ProjectionEngine.Running running = null;
        try {
            ScoringProjection past = new ScoringProjection(projections.compiled(version), asOfMillis);
            long head = engine.headPosition();
            running = engine.start(past, "scoring-v" + version + "-asof-" + asOfMillis, ProjectionEngine.Mode.TEMPORARY);
            long deadline = System.nanoTime() + asOfExportTimeout.toNanos();
            while (past.processedPosition() < head) {
                if (System.nanoTime() > deadline) {
                    throw new ScoringException.ResourceExhausted("the as-of replay did not finish within "
                            + asOfExportTimeout.toSeconds() + " s");
                }
                Thread.sleep(20);
            }
            return new Replayed(past, head);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            asOfExports.release();
            throw new ScoringException.ResourceExhausted("interrupted");
        } catch (RuntimeException e) {
            asOfExports.release();
            throw e;
        } finally {
            if (running != null) {
                running.stop();
            }
        }
    }

    private static final class ChunkedExport implements Export {
        private final List<String> ids;
        private final long head;
        private final int version;
        private final long instant;
        private final java.util.function.Function<String, AccountScore> evaluate;
        private final Runnable onClose;
        private int next;
        private boolean closed;
        private List<AccountScore> pending;

        ChunkedExport(List<String> ids, long head, int version, long instant,
                java.util.function.Function<String, AccountScore> evaluate, Runnable onClose) {
            this.ids = ids;
            this.head = head;
            this.version = version;
            this.instant = instant;
            this.evaluate = evaluate;
            this.onClose = onClose;
        }

        @Override
        public long headPosition() {
            return head;
        }

        @Override
        public int version() {
            return version;
        }

        @Override
        public long instant() {
            return instant;
        }

        @Override
        public boolean hasNext() {
            while (pending == null && next < ids.size()) {
                List<AccountScore> chunk = new ArrayList<>(CHUNK);
                while (chunk.size() < CHUNK && next < ids.size()) {
                    AccountScore score = evaluate.apply(ids.get(next++));
                    if (score != null) {
                        chunk.add(score);
                    }
                }
                if (!chunk.isEmpty()) {
                    pending = chunk;
                }
            }
            return pending != null;
        }

        @Override
        public List<AccountScore> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            List<AccountScore> chunk = pending;
            pending = null;
            return chunk;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                onClose.run();
            }
        }
    }
}
