package pql.scoring.app;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pql.eventstore.EventStore;
import pql.eventstore.StoredEvent;
import pql.eventstore.StreamIds;
import pql.scoring.domain.definition.CompiledDefinition;
import pql.scoring.domain.score.AccountState;
import pql.scoring.wire.ProductActionReader;

/**
 * What scoring knew at an instant ({@code known_at}): a projection of a definition version holding
 * exactly the events at log positions <= P, P = {@link RecordedTimeIndex#positionKnownAt}, optionally
 * as of an event time ({@code as_of}: events that occurred after it ignored). Built by loading, for
 * each segment, the newest {@link KnowledgeSnapshots snapshot} at or before P and folding the log
 * forward from it up to P; accounts with an event after {@code as_of} are then refolded from their
 * own stream (positions <= P, occurred_at <= as_of). The result is the state a replay of the log up
 * to P (events after as_of ignored) would give, bit for bit: the same events applied in the same
 * order by the same code, snapshots restoring states exactly.
 *
 * <p>One projection is built at a time (a second request waits, or gets RESOURCE_EXHAUSTED after
 * {@code waitFor}); the last one (and the last as-of view of it) is kept for {@code keepFor}, so a
 * forecast followed by its CSV export, or a page of the spectrum after another, pays once.
 */
public final class PastKnowledge implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PastKnowledge.class);
    private static final int PAGE = 4096;
    private static final int SETTLED_POSITIONS = 256;

    /**
     * A projection as known at {@code knownAtMillis}, holding the log up to {@code position}, as of
     * {@code asOfMillis} (null: events of any event time).
     */
    public record Known(ScoringProjection projection, int version, long position, long knownAtMillis, Long asOfMillis) {
    }

    private record Cached(Known known, long expiresAt) {
        boolean fits(int version, long position, Long asOf, long now) {
            return known.version() == version && known.position() == position
                    && java.util.Objects.equals(known.asOfMillis(), asOf) && now < expiresAt;
        }
    }

    private final EventStore store;
    private final RecordedTimeIndex index;
    private final KnowledgeSnapshots snapshots;
    private final IntFunction<CompiledDefinition> definitions;
    private final Clock clock;
    private final Duration keepFor;
    private final Duration waitFor;
    private final ReentrantLock building = new ReentrantLock();
    private final ScheduledExecutorService background;
    /** Knowledge instants whose position can no longer change (an event recorded after them is in the log). */
    private final Map<Long, Long> settled = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
            return size() > SETTLED_POSITIONS;
        }
    };
    private volatile Cached base;
    private volatile Cached asOfView;

    /**
     * @param snapshots null: no snapshots, every build replays the log from its start up to P
     * @param definitions the compiled definition of a version (NOT_FOUND when unknown)
     */
    public PastKnowledge(EventStore store, RecordedTimeIndex index, KnowledgeSnapshots snapshots,
            IntFunction<CompiledDefinition> definitions, Clock clock, Duration keepFor, Duration waitFor) {
        this.store = store;
        this.index = index;
        this.snapshots = snapshots;
        this.definitions = definitions;
        this.clock = clock;
        this.keepFor = keepFor;
        this.waitFor = waitFor;
        this.background = Executors.newSingleThreadScheduledExecutor(BackgroundThreads.named("scoring-known-at"));
    }

    /** Keeps the recorded-time index following the log, and lets go of kept projections once stale. */
    public void start() {
        background.scheduleWithFixedDelay(() -> {
            try {
                while (index.catchUp() > 0 && !Thread.currentThread().isInterrupted()) {
                    expire();
                }
                expire();
            } catch (RuntimeException e) {
                LOG.warn("known_at upkeep failed: {}", e.getMessage());
            }
        }, 0, 1, TimeUnit.SECONDS);
    }

    /** The last log position known at {@code knownAtMillis} (see {@link RecordedTimeIndex}). */
    public long positionKnownAt(long knownAtMillis) {
        synchronized (settled) {
            Long known = settled.get(knownAtMillis);
            if (known != null) {
                return known;
            }
        }
        long position = index.positionKnownAt(knownAtMillis);
        if (position < index.scannedUpTo()) {
            synchronized (settled) {
                settled.put(knownAtMillis, position);
            }
        }
        return position;
    }

    /** Every account of {@code version} as known at {@code knownAtMillis}, as of {@code asOfMillis} (null: any event time). */
    public Known projection(int version, long knownAtMillis, Long asOfMillis) {
        long position = positionKnownAt(knownAtMillis);
        Known all = cachedOrBuild(version, position, null, () -> build(version, position, knownAtMillis));
        if (asOfMillis == null) {
            return new Known(all.projection(), version, position, knownAtMillis, null);
        }
        Known view = cachedOrBuild(version, position, asOfMillis, () -> asOf(all, asOfMillis));
        return new Known(view.projection(), version, position, knownAtMillis, asOfMillis);
    }

    /** One account as known at {@code knownAtMillis} (as of {@code asOfMillis}) with the projection it belongs to. */
    public AccountState account(Known known, String accountId) {
        AccountState state = known.projection().account(accountId);
        if (state == null) {
            throw new ScoringException.NotFound("account " + accountId + " has no events known at "
                    + Instant.ofEpochMilli(known.knownAtMillis())
                    + (known.asOfMillis() == null ? "" : " as of " + Instant.ofEpochMilli(known.asOfMillis())));
        }
        return state;
    }

    private interface Builder {
        Known build() throws IOException;
    }

    private Known cachedOrBuild(int version, long position, Long asOf, Builder builder) {
        Cached cached = asOf == null ? base : asOfView;
        if (cached != null && cached.fits(version, position, asOf, clock.millis())) {
            return cached.known();
        }
        try {
            if (!building.tryLock(waitFor.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new ScoringException.ResourceExhausted("another known_at read is being built for longer than "
                        + waitFor.toSeconds() + " s; retry later");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScoringException.ResourceExhausted("interrupted");
        }
        try {
            cached = asOf == null ? base : asOfView;
            if (cached != null && cached.fits(version, position, asOf, clock.millis())) {
                return cached.known();
            }
            Known built = builder.build();
            Cached keep = new Cached(built, clock.millis() + keepFor.toMillis());
            if (asOf == null) {
                base = keep;
            } else {
                asOfView = keep;
            }
            return built;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            building.unlock();
        }
    }

    /** The log up to {@code position} into a fresh projection: nearest snapshots, then a fold forward. */
    private Known build(int version, long position, long knownAtMillis) {
        CompiledDefinition definition = definitions.apply(version);
        long started = System.nanoTime();
        while (true) {
            KnowledgeSnapshots.Choice choice = snapshots == null
                    ? new KnowledgeSnapshots.Choice(List.of(), false) : snapshots.chooseAt(version, position);
            ScoringProjection projection = new ScoringProjection(definition);
            KnowledgeSnapshotStore.Entry unreadable = restore(projection, choice, definition);
            if (unreadable != null) {
                snapshots.discard(unreadable);
                continue; // choose again without it
            }
            long from = choice.readFrom();
            long folded = foldForward(projection, choice, from, position);
            LOG.info("known_at {}: v{} up to position {} from {} snapshot(s){} and {} events folded forward "
                    + "({} accounts) in {} ms", Instant.ofEpochMilli(knownAtMillis), version, position,
                    choice.entries().size(), choice.complete() ? "" : " (some accounts from the start)", folded,
                    projection.accountCount(), (System.nanoTime() - started) / 1_000_000);
            return new Known(projection, version, position, knownAtMillis, null);
        }
    }

    /** Loads the chosen snapshots (in parallel: one file per segment); the first unreadable one, or null. */
    private KnowledgeSnapshotStore.Entry restore(ScoringProjection projection, KnowledgeSnapshots.Choice choice,
            CompiledDefinition definition) {
        List<KnowledgeSnapshotStore.Entry> failed = java.util.Collections.synchronizedList(new ArrayList<>());
        choice.entries().parallelStream().forEach(entry -> {
            try {
                projection.restore(snapshots.load(entry, definition));
            } catch (IOException | RuntimeException e) {
                LOG.warn("ignoring the unreadable knowledge snapshot {}: {}", entry, e.getMessage());
                failed.add(entry);
            }
        });
        return failed.isEmpty() ? null : failed.get(0);
    }

    /** Applies the events in ({@code from}, {@code upTo}] that the chosen snapshots do not hold yet; the number applied. */
    private long foldForward(ScoringProjection projection, KnowledgeSnapshots.Choice choice, long from, long upTo) {
        ProductActionReader reader = new ProductActionReader(projection.definition());
        long after = from;
        long applied = 0;
        while (after < upTo) {
            List<StoredEvent> page = store.readAll(after, PAGE);
            if (page.isEmpty()) {
                break;
            }
            for (StoredEvent event : page) {
                if (event.globalPosition() > upTo) {
                    return applied;
                }
                after = event.globalPosition();
                KnowledgeSnapshotStore.Entry holder = choice.holding(event.streamId().hashCode());
                if (holder == null || event.globalPosition() > holder.position()) {
                    projection.apply(event, reader);
                    applied++;
                }
            }
        }
        return applied;
    }

    /**
     * The view of {@code all} as of {@code asOfMillis}: accounts whose newest event is not after it are
     * shared as they are; the others are refolded from their own stream (positions <= P), events that
     * occurred after it ignored, and left out when none remains.
     */
    private Known asOf(Known all, long asOfMillis) {
        ScoringProjection everything = all.projection();
        ScoringProjection view = new ScoringProjection(everything.definition(), asOfMillis);
        ProductActionReader reader = new ProductActionReader(everything.definition());
        List<AccountState> unchanged = new ArrayList<>(everything.accountCount());
        int refolded = 0;
        for (AccountState state : everything.accounts()) {
            if (state.newestEventAt() <= asOfMillis) {
                unchanged.add(state);
                continue;
            }
            refolded++;
            String stream = StreamIds.forAccount(state.accountId());
            long from = 0;
            List<StoredEvent> page;
            do {
                page = store.readStream(stream, from, PAGE);
                for (StoredEvent event : page) {
                    from = event.streamVersion() + 1;
                    if (event.globalPosition() <= all.position()) {
                        view.apply(event, reader);
                    }
                }
            } while (page.size() == PAGE);
        }
        view.restore(unchanged);
        LOG.debug("known_at as of {}: {} accounts refolded from their streams", Instant.ofEpochMilli(asOfMillis), refolded);
        return new Known(view, all.version(), all.position(), all.knownAtMillis(), asOfMillis);
    }

    /** Lets go of kept projections past their time (they hold a whole projection's memory). */
    private void expire() {
        long now = clock.millis();
        Cached kept = base;
        if (kept != null && now >= kept.expiresAt()) {
            base = null;
        }
        kept = asOfView;
        if (kept != null && now >= kept.expiresAt()) {
            asOfView = null;
        }
    }

    /** The position the recorded-time index has scanned up to (telemetry, tests). */
    public long indexedUpTo() {
        return index.scannedUpTo();
    }

    @Override
    public void close() {
        background.shutdownNow();
        index.close();
    }
}
