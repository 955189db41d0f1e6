package pql.scoring.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import pql.eventstore.AppendRequest;
import pql.eventstore.ExpectedVersion;
import pql.eventstore.StreamIds;
import pql.eventstore.embedded.EmbeddedStoreOptions;
import pql.eventstore.embedded.RocksDbEventStore;
import pql.scoring.app.KnowledgeSnapshotStore;
import pql.scoring.app.KnowledgeSnapshots;
import pql.scoring.app.PastKnowledge;
import pql.scoring.app.RecordedTimeIndex;
import pql.scoring.app.ScoringProjection;
import pql.scoring.axon.ProjectionRunner;
import pql.scoring.domain.ProductComplexity;
import pql.scoring.domain.definition.CompiledDefinition;
import pql.scoring.domain.definition.DefinitionPresets;
import pql.scoring.store.KnowledgeSnapshotFiles;
import pql.v1.EventEnvelope;

/**
 * How long a past {@code known_at} read takes (a projection of the log up to the position known then,
 * built from the nearest snapshots and folded forward, as of the same instant), against a full rescore
 * of the same log measured in the same run.
 *
 * <pre>
 * MAVEN_OPTS="-Xmx2g" ./mvnw -q -o -pl scoring-service test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=pql.scoring.bench.KnownAtBenchmark -Dbench.accounts=2000 -Dbench.eventsPerAccount=90
 * </pre>
 *
 * <p>The log is {@link BenchmarkHistory}'s, appended in batches of 10,000 events, each batch recorded one
 * second after the previous one (as ingest stamps them), so known_at instants map to positions all along
 * the log. Steps: (1) a rescore without snapshots (warms the JIT, and is the baseline: what answering a
 * past known_at without snapshots costs, replaying the log); (2) the same rescore with {@link KnowledgeSnapshots}
 * attached, as the serving projection runs (the difference is what taking snapshots costs a replay);
 * (3) the recorded-time index's scan of the log (done once in the background by the service, then kept
 * in a file); (4) known_at reads at several points of the log, each a fresh build.
 *
 * <p>Properties: bench.accounts (2000), bench.eventsPerAccount (90), bench.dir (target/bench-data),
 * bench.segments (2), bench.minSpacing (20000), bench.maxSnapshots (8), bench.runs (2 reads per point).
 */
public final class KnownAtBenchmark {

    private static final long RECORDED_FROM_SECONDS = 1_777_593_600L; // 2026-05-01T00:00:00Z
    private static final int EVENTS_PER_RECORDED_SECOND = 10_000;

    private KnownAtBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int accounts = Integer.getInteger("bench.accounts", 2000);
        int perAccount = Integer.getInteger("bench.eventsPerAccount", 90);
        Path directory = Path.of(System.getProperty("bench.dir", "target/bench-data")).toAbsolutePath();
        int segments = Integer.getInteger("bench.segments", 2);
        long minSpacing = Long.getLong("bench.minSpacing", 20_000L);
        int maxSnapshots = Integer.getInteger("bench.maxSnapshots", 8);
        int runs = Math.max(1, Integer.getInteger("bench.runs", 2));
        long generated = (long) accounts * perAccount;

        System.out.printf("known_at benchmark: %,d accounts x %d events = %,d events; %d cores, max heap %d MiB, "
                + "load average %s%n", accounts, perAccount, generated, Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, RescoreBenchmark.loadAverage());
        Path storeDirectory = directory.resolve("known-at-events-" + accounts + "x" + perAccount);
        try (RocksDbEventStore store = RocksDbEventStore.open(EmbeddedStoreOptions.defaults(storeDirectory))) {
            if (store.headPosition() == 0) {
                System.out.println("generating the history into the embedded store (RocksDB)...");
                write(store, accounts, perAccount);
            } else {
                System.out.printf("reusing the history in %s (%,d events)%n", storeDirectory, store.headPosition());
            }
            long head = store.headPosition();
            CompiledDefinition definition = new CompiledDefinition(1,
                    DefinitionPresets.forComplexity(ProductComplexity.INTERMEDIATE));
            ProjectionRunner.Settings settings = new ProjectionRunner.Settings(segments, 16, 256, Duration.ofMinutes(10), 2)
                    .withoutCheckpoints();

            // 1. the baseline: a full rescore, nothing snapshotted
            double rescoreSeconds = Double.MAX_VALUE;
            double rescoreCpu = 0;
            for (int run = 0; run < 2; run++) {
                ScoringProjection projection = new ScoringProjection(definition);
                double[] took = replay(store, projection, settings, head, "full rescore" + (run == 0 ? " (JIT warm-up)" : ""));
                if (took[0] < rescoreSeconds) { // the faster of the two, wall and CPU of that run
                    rescoreSeconds = took[0];
                    rescoreCpu = took[1];
                }
            }
            System.gc();

            // 2. the same replay as the serving projection runs it: snapshotted by log position
            Path knowledgeDirectory = directory.resolve("known-at-snapshots-" + accounts + "x" + perAccount);
            deleteRecursively(knowledgeDirectory);
            KnowledgeSnapshots snapshots = new KnowledgeSnapshots(new KnowledgeSnapshotFiles(knowledgeDirectory),
                    store::headPosition, new KnowledgeSnapshots.Settings(minSpacing, maxSnapshots));
            ScoringProjection serving = new ScoringProjection(definition);
            snapshots.attach(serving);
            double[] snapshotted = replay(store, serving, settings, head, "rescore taking snapshots");
            snapshots.awaitWritten();
            List<KnowledgeSnapshotStore.Entry> entries = snapshots.entries(1);
            long bytes = entries.stream().mapToLong(KnowledgeSnapshotStore.Entry::bytes).sum();
            System.out.printf("  snapshots: %d taken, %d kept (%d segments), %,d MiB on disk; serializing them took %,d ms of "
                    + "the segment threads' CPU; replay %.2f s (%.2f s CPU) with snapshots vs %.2f s (%.2f s CPU) without "
                    + "(x%.2f wall, x%.2f CPU)%n", snapshots.taken(), entries.size(), segments, bytes >> 20,
                    snapshots.serializeMillis(), snapshotted[0], snapshotted[1], rescoreSeconds, rescoreCpu,
                    snapshotted[0] / rescoreSeconds, snapshotted[1] / rescoreCpu);
            serving = null;
            System.gc();

            // 3. the recorded-time index, scanned once (the service does it in the background and keeps it in a file)
            Path indexFile = knowledgeDirectory.resolve("recorded-time.idx");
            RecordedTimeIndex index = new RecordedTimeIndex(store, indexFile);
            long indexStart = System.nanoTime();
            long indexCpu = RescoreBenchmark.processCpuNanos();
            while (index.catchUp() > 0) {
                // the whole log
            }
            System.out.printf("recorded-time index: %,d events scanned in %.2f s (%.2f s CPU), %,d bytes on disk%n", head,
                    (System.nanoTime() - indexStart) / 1e9, (RescoreBenchmark.processCpuNanos() - indexCpu) / 1e9,
                    Files.size(indexFile));

            // 4. past known_at reads, each a fresh build (nothing kept between reads), as of the same instant
            long lastRecorded = RECORDED_FROM_SECONDS + (head - 1) / EVENTS_PER_RECORDED_SECOND;
            System.out.printf("%nknown_at reads (as_of = known_at), fresh builds, against the full rescore of %.2f s (%.2f s CPU):%n",
                    rescoreSeconds, rescoreCpu);
            System.out.println("  known at       position     snapshots  folded fwd   accounts   wall s    CPU s   x rescore");
            try (PastKnowledge knowledge = new PastKnowledge(store, index, snapshots, version -> definition,
                    Clock.systemUTC(), Duration.ZERO, Duration.ofMinutes(5))) {
                double worst = 0;
                double worstCpu = 0;
                for (double fraction : new double[] {0.1, 0.37, 0.5, 0.63, 0.9, 1.0}) {
                    long knownAtSeconds = RECORDED_FROM_SECONDS + Math.round((lastRecorded - RECORDED_FROM_SECONDS) * fraction);
                    long knownAt = knownAtSeconds * 1000 + 999;
                    for (int run = 0; run < runs; run++) {
                        long started = System.nanoTime();
                        long cpu = RescoreBenchmark.processCpuNanos();
                        PastKnowledge.Known known = knowledge.projection(1, knownAt, knownAt);
                        double seconds = (System.nanoTime() - started) / 1e9;
                        double cpuSeconds = (RescoreBenchmark.processCpuNanos() - cpu) / 1e9;
                        KnowledgeSnapshots.Choice choice = snapshots.chooseAt(1, known.position());
                        worst = Math.max(worst, seconds);
                        worstCpu = Math.max(worstCpu, cpuSeconds);
                        System.out.printf("  %5.0f%% of log %,12d  %9d  %,10d  %,9d  %7.3f  %7.3f   %.3f%n", fraction * 100,
                                known.position(), choice.entries().size(), known.position() - choice.readFrom(),
                                known.projection().accountCount(), seconds, cpuSeconds, seconds / rescoreSeconds);
                    }
                }
                System.out.printf("slowest known_at read: %.3f s = %.3f x the full rescore (%.2f s); most CPU of a read: %.3f s = "
                        + "%.3f x the rescore's %.2f s; load average %s%n", worst, worst / rescoreSeconds, rescoreSeconds,
                        worstCpu, worstCpu / rescoreCpu, rescoreCpu, RescoreBenchmark.loadAverage());
            }
            snapshots.close();
        }
    }

    /** Replays the whole log into {@code projection} through Axon; {wall seconds, CPU seconds}. */
    private static double[] replay(RocksDbEventStore store, ScoringProjection projection, ProjectionRunner.Settings settings,
            long head, String what) throws InterruptedException {
        ProjectionRunner runner = new ProjectionRunner(projection, "bench-known-at", store, new InMemoryTokenStore(), null,
                settings, Clock.systemUTC());
        long started = System.nanoTime();
        long cpu = RescoreBenchmark.processCpuNanos();
        runner.start();
        while (projection.processedPosition() < head) {
            Thread.sleep(5);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpuSeconds = (RescoreBenchmark.processCpuNanos() - cpu) / 1e9;
        runner.halt();
        System.out.printf("%s: %,d events, %,d accounts in %.2f s = %,.0f events/s, %.2f s CPU (%.2f us/event)%n", what, head,
                projection.accountCount(), seconds, head / seconds, cpuSeconds, cpuSeconds * 1e6 / head);
        return new double[] {seconds, cpuSeconds};
    }

    /** {@link BenchmarkHistory}'s events, in batches of 10,000 recorded one second apart. */
    private static void write(RocksDbEventStore store, int accounts, int perAccount) {
        long started = System.nanoTime();
        List<CompletableFuture<?>> inFlight = new ArrayList<>();
        List<AppendRequest> batch = new ArrayList<>();
        int inBatch = 0;
        long written = 0;
        for (int round = 0; round < perAccount; round += 10) {
            for (int account = 0; account < accounts; account++) {
                long recorded = RECORDED_FROM_SECONDS + written / EVENTS_PER_RECORDED_SECOND;
                List<EventEnvelope> events = new ArrayList<>(10);
                for (int r = round; r < Math.min(perAccount, round + 10); r++) {
                    events.add(BenchmarkHistory.event(account, r, perAccount).toBuilder()
                            .setRecordedAt(com.google.protobuf.Timestamp.newBuilder().setSeconds(recorded)).build());
                }
                batch.add(new AppendRequest(StreamIds.forAccount("bench-" + account), ExpectedVersion.ANY, events));
                inBatch += events.size();
                written += events.size();
                if (inBatch >= EVENTS_PER_RECORDED_SECOND) {
                    inFlight.add(store.appendAsync(batch));
                    batch = new ArrayList<>();
                    inBatch = 0;
                    if (inFlight.size() >= 8) {
                        inFlight.remove(0).join();
                    }
                }
            }
        }
        if (!batch.isEmpty()) {
            inFlight.add(store.appendAsync(batch));
        }
        inFlight.forEach(CompletableFuture::join);
        System.out.printf("  %,d events written in %.1f s%n", written, (System.nanoTime() - started) / 1e9);
    }

    private static void deleteRecursively(Path path) throws Exception {
        if (!Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
