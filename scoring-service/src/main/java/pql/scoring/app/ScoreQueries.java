package pql.scoring.app;

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
 * Reads of account scores. The current score of the serving (or a caught-up shadow) version comes
 * from memory; any other question (an instant in the past, a version not materialised) is answered
 * by folding the account's own stream under that version.
 *
 * <p>Percentiles of folded scores rank the folded score against the current distribution of that
 * version's projection (the serving one when the version has none in memory): a historical
 * percentile would need every account as of that instant, which is what the as-of export builds.
 */
public final class ScoreQueries {

    public static final int CHUNK = 500;
    private static final int READ_PAGE = 1000;

    private final ProjectionRollout projections;
    private final EventStore store;
    private final ProjectionEngine engine;
    private final Duration asOfExportTimeout;
    private final Semaphore asOfExports = new Semaphore(1);
    private final PastKnowledge knowledge;

    /** Without snapshots: a known_at read replays the log up to its position (tests). */
    public ScoreQueries(ProjectionRollout projections, EventStore store, ProjectionEngine engine,
            Duration asOfExportTimeout) {
        this(projections, store, engine, asOfExportTimeout, new PastKnowledge(store, new RecordedTimeIndex(store, null),
                null, projections::compiled, java.time.Clock.systemUTC(), Duration.ZERO, asOfExportTimeout));
    }

    /** @param knowledge answers known_at reads: what was known at an instant */
    public ScoreQueries(ProjectionRollout projections, EventStore store, ProjectionEngine engine,
            Duration asOfExportTimeout, PastKnowledge knowledge) {
        this.projections = projections;
        this.store = store;
        this.engine = engine;
        this.asOfExportTimeout = asOfExportTimeout;
        this.knowledge = knowledge;
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

    /** One account's score, as of {@code asOfMillis} (null: its newest event) under {@code version} (0: active). */
    public AccountScore accountScore(String accountId, Long asOfMillis, int version, boolean full) {
        return accountScore(accountId, asOfMillis, version, full, null);
    }

    /** ... with only the events recorded at or before {@code knownAtMillis} (null: everything recorded so far). */
    public AccountScore accountScore(String accountId, Long asOfMillis, int version, boolean full, Long knownAtMillis) {
        int resolved = projections.resolve(version);
        if (knownAtMillis != null) {
            PastKnowledge.Known known = knowledge.projection(resolved, knownAtMillis, asOfMillis);
            AccountState state = knowledge.account(known, accountId);
            CohortPercentiles percentiles = known.projection().percentiles();
            return asOfMillis == null ? ScoreEvaluator.evaluate(state, percentiles::ofMember, full)
                    : ScoreEvaluator.evaluate(state, asOfMillis, percentiles::ofMember, full);
        }
        var materialized = projections.materialized(resolved);
        if (asOfMillis == null && materialized.isPresent()) {
            ScoringProjection projection = materialized.get();
            AccountState state = projection.account(accountId);
            if (state != null) {
                return ScoreEvaluator.evaluate(state, projection.percentiles()::ofMember, full);
            }
            if (projection.holds(StreamIds.forAccount(accountId).hashCode())) {
                throw new ScoringException.NotFound("account " + accountId + " has no events");
            }
            // another process holds this account's segment (or none is claimed yet): fold its stream below
        }
        AccountState folded = fold(accountId, resolved, asOfMillis);
        CohortPercentiles percentiles = materialized.orElse(projections.serving()).percentiles();
        long asOf = asOfMillis == null ? Long.MIN_VALUE : asOfMillis;
        return asOfMillis == null
                ? ScoreEvaluator.evaluate(folded, percentiles::ofOutsider, full)
                : ScoreEvaluator.evaluate(folded, asOf, percentiles::ofOutsider, full);
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

    /** @param headPosition the log position the page includes events up to */
    public record ScorePage(List<AccountScore> scores, Cursor next, long totalSize, int version, long headPosition) {
    }

    /** The PQL spectrum: filtered, ordered and paged (keyset paging, stable while scores move). */
    public ScorePage list(AccountFilter filter, AccountOrder order, int pageSize, Cursor after, int version,
            boolean full) {
        return list(filter, order, pageSize, after, version, full, null, null);
    }

    /**
     * ... as of {@code asOfMillis} (null: each account's newest event), as known at {@code knownAtMillis} (null:
     * everything recorded so far). With either, the page comes from the projection {@link PastKnowledge} builds
     * (as_of alone: known at the log's head), where accounts with events after as_of are refolded.
     */
    public ScorePage list(AccountFilter filter, AccountOrder order, int pageSize, Cursor after, int version,
            boolean full, Long asOfMillis, Long knownAtMillis) {
        int resolved = projections.resolve(version);
        PastKnowledge.Known known = knownAtMillis != null || asOfMillis != null
                ? knowledge.projection(resolved, knownAtMillis != null ? knownAtMillis : Long.MAX_VALUE, asOfMillis) : null;
        ScoringProjection projection = known != null ? known.projection() : materializedOrFail(resolved);
        long head = known != null ? known.position() : projection.processedPosition();
        Long evaluateAt = asOfMillis;
        List<Keyed> matching = new ArrayList<>();
        for (AccountSummary summary : projection.summaries()) {
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
        CohortPercentiles percentiles = projection.percentiles();
        for (int i = start; i < end; i++) {
            AccountState state = projection.account(matching.get(i).accountId());
            if (state != null) {
                scores.add(evaluateAt == null ? ScoreEvaluator.evaluate(state, percentiles::ofMember, full)
                        : ScoreEvaluator.evaluate(state, evaluateAt, percentiles::ofMember, full));
            }
        }
        Cursor next = end < matching.size() ? new Cursor(matching.get(end - 1).key(), matching.get(end - 1).accountId())
                : null;
        return new ScorePage(scores, next, matching.size(), resolved, head);
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

        @Override
        void close();
    }

    /** Every matching account, in chunks of at most {@value #CHUNK}, by account id. */
    public Export export(AccountFilter filter, int version, Long asOfMillis, boolean full, long changedAfterPosition) {
        return export(filter, version, asOfMillis, full, changedAfterPosition, null);
    }

    /** ... with only the events recorded at or before {@code knownAtMillis} (null: everything recorded so far). */
    public Export export(AccountFilter filter, int version, Long asOfMillis, boolean full, long changedAfterPosition,
            Long knownAtMillis) {
        int resolved = projections.resolve(version);
        if (knownAtMillis != null) {
            return exportKnown(filter, resolved, asOfMillis, knownAtMillis, full);
        }
        if (asOfMillis != null) {
            return exportAsOf(filter, resolved, asOfMillis, full);
        }
        ScoringProjection projection = materializedOrFail(resolved);
        long head = projection.processedPosition();
        List<String> ids = new ArrayList<>();
        for (AccountSummary summary : projection.summaries()) {
            if (summary.logPosition() > changedAfterPosition && filter.matches(summary)) {
                ids.add(summary.accountId());
            }
        }
        ids.sort(Comparator.naturalOrder());
        CohortPercentiles percentiles = projection.percentiles();
        return new ChunkedExport(ids, head, resolved, id -> {
            AccountState state = projection.account(id);
            return state == null ? null : ScoreEvaluator.evaluate(state, percentiles::ofMember, full);
        }, () -> { });
    }

    /** As the as-of export, over the projection known at {@code knownAtMillis}: its head is that position. */
    private Export exportKnown(AccountFilter filter, int version, Long asOfMillis, long knownAtMillis, boolean full) {
        PastKnowledge.Known known = knowledge.projection(version, knownAtMillis, asOfMillis);
        ScoringProjection past = known.projection();
        CohortPercentiles percentiles = past.percentiles();
        List<String> ids = new ArrayList<>();
        past.accounts().forEach(state -> ids.add(state.accountId()));
        ids.sort(Comparator.naturalOrder());
        return new ChunkedExport(ids, known.position(), version, id -> {
            AccountState state = past.account(id);
            AccountScore score = asOfMillis == null ? ScoreEvaluator.evaluate(state, percentiles::ofMember, full)
                    : ScoreEvaluator.evaluate(state, asOfMillis, percentiles::ofMember, full);
            return filter.matches(score) ? score : null;
        }, () -> { });
    }

    private Export exportAsOf(AccountFilter filter, int version, long asOfMillis, boolean full) {
        if (!asOfExports.tryAcquire()) {
            throw new ScoringException.ResourceExhausted("an as-of export is already running; retry later");
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
            past.refreshPercentiles();
            CohortPercentiles percentiles = past.percentiles();
            List<AccountScore> scores = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            past.accounts().forEach(state -> ids.add(state.accountId()));
            ids.sort(Comparator.naturalOrder());
            ProjectionEngine.Running done = running;
            running = null;
            done.stop();
            return new ChunkedExport(ids, head, version, id -> {
                AccountScore score = ScoreEvaluator.evaluate(past.account(id), asOfMillis, percentiles::ofMember, full);
                return filter.matches(score) ? score : null;
            }, asOfExports::release);
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
        private final java.util.function.Function<String, AccountScore> evaluate;
        private final Runnable onClose;
        private int next;
        private boolean closed;
        private List<AccountScore> pending;

        ChunkedExport(List<String> ids, long head, int version, java.util.function.Function<String, AccountScore> evaluate,
                Runnable onClose) {
            this.ids = ids;
            this.head = head;
            this.version = version;
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
