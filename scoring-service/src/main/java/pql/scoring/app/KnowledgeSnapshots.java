package pql.scoring.app;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pql.eventstore.StreamVersions;
import pql.scoring.domain.definition.CompiledDefinition;
import pql.scoring.domain.score.AccountState;

/**
 * Snapshots of a projection by log position, so that the past can be rebuilt by folding forward from
 * the nearest one instead of replaying the whole log ({@link PastKnowledge}).
 *
 * <p>A projection's state is consistent per segment, not across segments (each segment's thread is at
 * its own position), so snapshots are per segment: when a segment has applied a chunk and its
 * position is far enough past its last snapshot, the segment's accounts are serialized there and then,
 * on the segment's own thread (its accounts hold exactly the log up to that position; nothing else
 * changes them meanwhile), and written to the store by a background thread. A segment skips a
 * snapshot while its previous one is still being written.
 *
 * <p>Spacing and bound: a new snapshot is taken once the segment is {@code max(minSpacing, head /
 * maxPerSegment)} events past its last one, so a replay of the whole log (a start-up, a rescore) takes
 * about {@code maxPerSegment} of them, not one per {@code minSpacing}. Each segment keeps at most
 * {@code maxPerSegment}: beyond that, the snapshot whose removal leaves the smallest gap is deleted
 * (never the newest), so the snapshots stay spread over the whole history and a fold forward from the
 * nearest one reads about {@code 2 x head / maxPerSegment} events at most.
 *
 * <p>A snapshot costs in proportion to the accounts it holds, a fold forward in proportion to the events
 * it reads: so a segment also waits for {@value #EVENTS_PER_ACCOUNT_BETWEEN_SNAPSHOTS} of its own
 * events per account it held last time. That bound only binds on a young log with few events per
 * account (a fresh install, a benchmark), where snapshots every {@code minSpacing} events cost the live
 * projection more than applying the events did (issue #18's profile: a third of scoring's CPU); a fold
 * from the nearest snapshot then reads at most a few events per account more.
 */
public final class KnowledgeSnapshots implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KnowledgeSnapshots.class);
    /** A segment's events between two of its snapshots, at least, per account of its last one. */
    static final int EVENTS_PER_ACCOUNT_BETWEEN_SNAPSHOTS = 4;

    /**
     * @param minSpacing log events between two snapshots of a segment, at least
     * @param maxPerSegment snapshots kept per segment of each version
     */
    public record Settings(long minSpacing, int maxPerSegment) {
        public Settings {
            if (minSpacing < 1 || maxPerSegment < 1) {
                throw new IllegalArgumentException("minSpacing and maxPerSegment must be >= 1");
            }
        }
    }

    private final KnowledgeSnapshotStore store;
    private final LongSupplier headPosition;
    private final Settings settings;
    private final ExecutorService writer;
    private final Map<ChainKey, Chain> chains = new ConcurrentHashMap<>();
    private final Map<Integer, Boolean> versionsListed = new ConcurrentHashMap<>();
    private final LongAdder taken = new LongAdder();
    private final LongAdder serializeNanos = new LongAdder();

    private record ChainKey(int version, int segmentId, int mask) {
    }

    /** One segment's snapshots, oldest first. */
    private static final class Chain {
        final List<KnowledgeSnapshotStore.Entry> entries = new ArrayList<>();
        volatile boolean writing;
        /** The position of the newest snapshot taken (written or being written). */
        volatile long newest = StreamVersions.BEFORE_FIRST_POSITION;
        /** The accounts of the newest snapshot taken. */
        volatile int accounts;
    }

    public KnowledgeSnapshots(KnowledgeSnapshotStore store, LongSupplier headPosition, Settings settings) {
        this.store = store;
        this.headPosition = headPosition;
        this.settings = settings;
        this.writer = Executors.newSingleThreadExecutor(BackgroundThreads.named("scoring-knowledge-snapshots"));
    }

    /** Snapshots {@code projection} (a serving or shadow one, fed from the log) as its segments move on. */
    public void attach(ScoringProjection projection) {
        listed(projection.version());
        projection.onSegmentProgress(this::segmentAt);
    }

    /** Called on the segment's thread each time its accounts hold exactly the log up to {@code position}. */
    void segmentAt(ScoringProjection projection, int segmentId, int mask, long position) {
        if (position <= StreamVersions.BEFORE_FIRST_POSITION) {
            return;
        }
        Chain chain = chains.computeIfAbsent(new ChainKey(projection.version(), segmentId, mask), key -> new Chain());
        if (chain.writing || position <= chain.newest) {
            return;
        }
        long spacing = Math.max(settings.minSpacing(), headPosition.getAsLong() / settings.maxPerSegment());
        // the log's positions between two snapshots that give this segment (1 of mask + 1) enough events per account
        spacing = Math.max(spacing, (long) EVENTS_PER_ACCOUNT_BETWEEN_SNAPSHOTS * chain.accounts * (mask + 1L));
        if (position - Math.max(chain.newest, StreamVersions.BEFORE_FIRST_POSITION) < spacing) {
            return;
        }
        long started = threadCpuNanos();
        List<AccountState> accounts = projection.accountsMatching(hash -> (hash & mask) == segmentId);
        List<byte[]> states;
        long length;
        try {
            SnapshotBytes out = new SnapshotBytes();
            for (AccountState account : accounts) {
                account.writeTo(out);
            }
            states = out.chunks();
            length = out.size();
        } catch (IOException e) {
            LOG.warn("knowledge snapshot of v{} segment {} at {} failed: {}", projection.version(), segmentId, position,
                    e.getMessage());
            return;
        }
        serializeNanos.add(threadCpuNanos() - started);
        chain.writing = true;
        chain.newest = position;
        chain.accounts = accounts.size();
        KnowledgeSnapshotStore.Entry entry = new KnowledgeSnapshotStore.Entry(projection.version(), segmentId, mask,
                position, accounts.size(), length);
        try {
            writer.execute(() -> write(chain, entry, states));
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            chain.writing = false;
        }
    }

    private void write(Chain chain, KnowledgeSnapshotStore.Entry entry, List<byte[]> states) {
        try {
            KnowledgeSnapshotStore.Entry written = store.write(entry, states);
            List<KnowledgeSnapshotStore.Entry> removed = new ArrayList<>();
            synchronized (chain) {
                chain.entries.add(written);
                chain.entries.sort(Comparator.comparingLong(KnowledgeSnapshotStore.Entry::position));
                while (chain.entries.size() > settings.maxPerSegment()) {
                    removed.add(chain.entries.remove(thinnest(chain.entries)));
                }
            }
            removed.forEach(store::delete);
            taken.increment();
            LOG.debug("knowledge snapshot of v{} segment {} at position {}: {} accounts, {} bytes", entry.version(),
                    entry.segmentId(), entry.position(), entry.accounts(), written.bytes());
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot write the knowledge snapshot of v{} segment {} at {}: {}", entry.version(), entry.segmentId(),
                    entry.position(), e.getMessage());
        } finally {
            chain.writing = false;
        }
    }

    /**
     * The snapshot whose removal widens the gaps least (the one with the closest neighbours), never the
     * newest: the distance from the previous snapshot (or the start of the log) to the next one.
     */
    static int thinnest(List<KnowledgeSnapshotStore.Entry> entries) {
        int best = 0;
        long bestGap = Long.MAX_VALUE;
        for (int i = 0; i < entries.size() - 1; i++) {
            long previous = i == 0 ? StreamVersions.BEFORE_FIRST_POSITION : entries.get(i - 1).position();
            long gap = entries.get(i + 1).position() - previous;
            if (gap < bestGap) {
                bestGap = gap;
                best = i;
            }
        }
        return best;
    }

    /** The snapshots of {@code version} left by an earlier run, once per version. */
    private void listed(int version) {
        versionsListed.computeIfAbsent(version, v -> {
            for (KnowledgeSnapshotStore.Entry entry : store.list(v)) {
                Chain chain = chains.computeIfAbsent(new ChainKey(v, entry.segmentId(), entry.mask()), key -> new Chain());
                synchronized (chain) {
                    chain.entries.add(entry);
                    chain.entries.sort(Comparator.comparingLong(KnowledgeSnapshotStore.Entry::position));
                    if (entry.position() >= chain.newest) {
                        chain.newest = entry.position();
                        chain.accounts = entry.accounts();
                    }
                }
            }
            return Boolean.TRUE;
        });
    }

    /**
     * For each part of the account space, the newest snapshot of {@code version} at or before
     * {@code position}: disjoint segments, preferring the newest (segments of an older layout only fill
     * what the newer ones leave). What they leave uncovered, {@link Choice#complete()} says.
     */
    public Choice chooseAt(int version, long position) {
        listed(version);
        List<KnowledgeSnapshotStore.Entry> candidates = new ArrayList<>();
        chains.forEach((key, chain) -> {
            if (key.version() != version) {
                return;
            }
            synchronized (chain) {
                KnowledgeSnapshotStore.Entry best = null;
                for (KnowledgeSnapshotStore.Entry entry : chain.entries) {
                    if (entry.position() <= position) {
                        best = entry;
                    }
                }
                if (best != null) {
                    candidates.add(best);
                }
            }
        });
        candidates.sort(Comparator.comparingLong(KnowledgeSnapshotStore.Entry::position).reversed());
        List<KnowledgeSnapshotStore.Entry> chosen = new ArrayList<>();
        double covered = 0;
        for (KnowledgeSnapshotStore.Entry candidate : candidates) {
            boolean overlaps = false;
            for (KnowledgeSnapshotStore.Entry taken : chosen) {
                int mask = candidate.mask() & taken.mask();
                if ((candidate.segmentId() & mask) == (taken.segmentId() & mask)) {
                    overlaps = true;
                    break;
                }
            }
            if (!overlaps) {
                chosen.add(candidate);
                covered += 1.0 / ((long) candidate.mask() + 1); // Axon masks are 2^k - 1: exact in a double
            }
        }
        return new Choice(chosen, covered >= 1.0);
    }

    /**
     * Snapshots to start from.
     *
     * @param complete whether they cover every account (otherwise the accounts of no chosen segment are
     *     folded from the start of the log)
     */
    public record Choice(List<KnowledgeSnapshotStore.Entry> entries, boolean complete) {

        /** Which chosen snapshot holds the account of a stream with this hash; null for none. */
        public KnowledgeSnapshotStore.Entry holding(int streamHash) {
            for (KnowledgeSnapshotStore.Entry entry : entries) {
                if ((streamHash & entry.mask()) == entry.segmentId()) {
                    return entry;
                }
            }
            return null;
        }

        /** Where the log must be read from: the oldest chosen snapshot, or the start if some accounts have none. */
        public long readFrom() {
            if (!complete) {
                return StreamVersions.BEFORE_FIRST_POSITION;
            }
            long from = Long.MAX_VALUE;
            for (KnowledgeSnapshotStore.Entry entry : entries) {
                from = Math.min(from, entry.position());
            }
            return entries.isEmpty() ? StreamVersions.BEFORE_FIRST_POSITION : from;
        }
    }

    public List<AccountState> load(KnowledgeSnapshotStore.Entry entry, CompiledDefinition definition) throws IOException {
        return store.load(entry, definition);
    }

    /** A snapshot that cannot be read is forgotten (and deleted): the next choice falls back to an older one. */
    public void discard(KnowledgeSnapshotStore.Entry entry) {
        Chain chain = chains.get(new ChainKey(entry.version(), entry.segmentId(), entry.mask()));
        if (chain != null) {
            synchronized (chain) {
                chain.entries.removeIf(e -> e.position() == entry.position());
            }
        }
        store.delete(entry);
    }

    /** Snapshots written since the start. */
    public long taken() {
        return taken.sum();
    }

    private static long threadCpuNanos() {
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        return threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /** CPU time the segment threads spent serializing snapshots, in ms (what snapshots cost the projections). */
    public long serializeMillis() {
        return TimeUnit.NANOSECONDS.toMillis(serializeNanos.sum());
    }

    /** Snapshots of {@code version} held now, per segment (tests, telemetry). */
    public List<KnowledgeSnapshotStore.Entry> entries(int version) {
        listed(version);
        List<KnowledgeSnapshotStore.Entry> all = new ArrayList<>();
        chains.forEach((key, chain) -> {
            if (key.version() == version) {
                synchronized (chain) {
                    all.addAll(chain.entries);
                }
            }
        });
        all.sort(Comparator.comparingInt(KnowledgeSnapshotStore.Entry::segmentId)
                .thenComparingLong(KnowledgeSnapshotStore.Entry::position));
        return all;
    }

    /** Waits until the snapshots taken so far are written (tests, benchmarks). */
    public void awaitWritten() throws InterruptedException {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        writer.execute(done::countDown);
        done.await();
    }

    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
