package pql.scoring.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import pql.eventstore.ExpectedVersion;
import pql.eventstore.StreamIds;
import pql.eventstore.embedded.EmbeddedStoreOptions;
import pql.eventstore.embedded.RocksDbEventStore;
import pql.load.BenchResult;
import pql.scoring.app.ScoringProjection;
import pql.scoring.axon.ProjectionRunner;
import pql.scoring.domain.ProductComplexity;
import pql.scoring.domain.definition.CompiledDefinition;
import pql.scoring.domain.definition.DefinitionPresets;
import pql.scoring.store.SegmentSnapshotStore;

/**
 * Rescore throughput, state memory and live freshness of the scoring projection, with Axon's plain
 * JDBC replay of the same events as the baseline, in one run.
 *
 * <pre>
 * MAVEN_OPTS="-Xmx1g" ./mvnw -q -pl scoring-service test-compile exec:java \
 *   -Dexec.classpathScope=test -Dexec.mainClass=pql.scoring.bench.RescoreBenchmark
 * </pre>
 *
 * Properties: bench.accounts (100000), bench.eventsPerAccount (100), bench.dir (target/bench-data:
 * the generated store is reused when it holds the same history), bench.segments (2), bench.chunk
 * (1024), bench.batch (16), bench.baselineEvents (1000000), bench.freshnessEvents (2000),
 * bench.freshnessRate (200 per second), bench.runs (3 replays, the best counted), bench.rescoreOnly.
 *
 * <p>Besides its report it prints, for scripts/bench.sh, {@code RESULT rescore.events_per_s} (best
 * replay), {@code rescore.cpu_us_per_event} (lowest of the replays, whole process),
 * {@code baseline.events_per_s}, {@code rescore.x_baseline}, {@code state.bytes_per_account} and
 * {@code freshness.p99_ms}.
 */
public final class RescoreBenchmark {

    private RescoreBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int accounts = Integer.getInteger("bench.accounts", 100_000);
        int perAccount = Integer.getInteger("bench.eventsPerAccount", 100);
        Path directory = Path.of(System.getProperty("bench.dir", "target/bench-data")).toAbsolutePath();
        int segments = Integer.getInteger("bench.segments", 2);
        int chunk = Integer.getInteger("bench.chunk", 256);
        int batch = Integer.getInteger("bench.batch", 16);
        int readers = Integer.getInteger("bench.readers", 2);
        int rescoreRuns = Math.max(1, Integer.getInteger("bench.runs", 3));
        boolean rescoreOnly = Boolean.getBoolean("bench.rescoreOnly");
        long baselineEvents = Long.getLong("bench.baselineEvents", 1_000_000L);
        int freshnessEvents = Integer.getInteger("bench.freshnessEvents", 2000);
        int freshnessRate = Integer.getInteger("bench.freshnessRate", 200);
        long generated = (long) accounts * perAccount;

        System.out.printf("scoring rescore benchmark: %,d accounts x %d events = %,d events; %d cores, max heap %d MiB%n",
                accounts, perAccount, generated, Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        Path storeDirectory = BenchmarkHistory.storeDirectory(directory, accounts, perAccount);
        try (RocksDbEventStore store = RocksDbEventStore.open(EmbeddedStoreOptions.defaults(storeDirectory))) {
            if (store.headPosition() == 0) {
                System.out.println("generating the history into the embedded store (RocksDB)...");
                double seconds = BenchmarkHistory.write(store, accounts, perAccount);
                System.out.printf("  %,d events written in %.1f s (%,.0f events/s)%n", generated, seconds,
                        generated / seconds);
            } else {
                System.out.printf("reusing the history in %s (%,d events, including live appends of earlier runs)%n",
                        storeDirectory, store.headPosition());
            }
            long total = store.headPosition();

            CompiledDefinition definition = new CompiledDefinition(1,
                    DefinitionPresets.forComplexity(ProductComplexity.INTERMEDIATE));

            // 1. rescore: replay the whole log into a fresh projection through Axon (several runs: the machine is shared)
            SegmentSnapshotStore snapshots = new SegmentSnapshotStore(directory.resolve("snapshots"));
            ProjectionRunner.Settings settings = new ProjectionRunner.Settings(segments, batch, chunk,
                    Duration.ofMinutes(10), readers);
            double rescoreRate = 0;
            double rescoreCpu = Double.MAX_VALUE;
            for (int run = 1; run < rescoreRuns; run++) {
                ScoringProjection warmUp = new ScoringProjection(definition);
                ProjectionRunner runner = new ProjectionRunner(warmUp, "bench-rescore", store, new InMemoryTokenStore(),
                        null, settings.withoutCheckpoints(), Clock.systemUTC());
                Replay replay = rescore(runner, warmUp, total, settings);
                rescoreRate = Math.max(rescoreRate, replay.eventsPerSecond());
                rescoreCpu = Math.min(rescoreCpu, replay.cpuMicrosPerEvent());
                runner.halt();
            }
            long heapBefore = usedHeapAfterGc();
            ScoringProjection projection = new ScoringProjection(definition);
            snapshots.deleteAll("bench-rescore");
            ProjectionRunner runner = new ProjectionRunner(projection, "bench-rescore", store, new InMemoryTokenStore(),
                    snapshots, settings, Clock.systemUTC());
            Replay last = rescore(runner, projection, total, settings);
            rescoreRate = Math.max(rescoreRate, last.eventsPerSecond());
            rescoreCpu = Math.min(rescoreCpu, last.cpuMicrosPerEvent());
            System.out.printf("best rescore of %d run(s): %,.0f events/s%n", rescoreRuns, rescoreRate);
            BenchResult.print("rescore.events", total);
            BenchResult.print("rescore.events_per_s", rescoreRate);
            BenchResult.print("rescore.cpu_us_per_event", rescoreCpu);

            long stateBytes = usedHeapAfterGc() - heapBefore;
            long entries = projection.accounts().stream().mapToLong(s -> s.engagementEntryCount()).sum();
            System.out.printf("state: %,d MiB of heap for %,d accounts (%,d bytes per account, %,d engagement buckets)%n",
                    stateBytes >> 20, projection.accountCount(), stateBytes / Math.max(1, projection.accountCount()),
                    entries);
            BenchResult.print("state.bytes_per_account", stateBytes / (double) Math.max(1, projection.accountCount()));

            if (rescoreOnly) {
                runner.halt();
                return;
            }

            // 2. live freshness: single appends while the projection follows
            Map<Long, Long> appliedAt = new ConcurrentHashMap<>();
            projection.onApplied((account, position) -> appliedAt.put(position, System.nanoTime()));
            long run = System.currentTimeMillis();
            long[] appendStarted = new long[freshnessEvents];
            long[] positions = new long[freshnessEvents];
            long interval = 1_000_000_000L / freshnessRate;
            long next = System.nanoTime();
            for (int i = 0; i < freshnessEvents; i++) {
                while (System.nanoTime() < next) {
                    Thread.onSpinWait();
                }
                next += interval;
                int account = (i * 7_919) % accounts;
                appendStarted[i] = System.nanoTime();
                positions[i] = store.append(StreamIds.forAccount("bench-" + account), ExpectedVersion.ANY,
                        List.of(BenchmarkHistory.event(account, perAccount + 1 + i, perAccount, "-live-" + run)))
                        .events().get(0).globalPosition();
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (appliedAt.size() < freshnessEvents && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            long[] latencies = new long[freshnessEvents];
            for (int i = 0; i < freshnessEvents; i++) {
                Long applied = appliedAt.get(positions[i]);
                latencies[i] = applied == null ? Long.MAX_VALUE : applied - appendStarted[i];
            }
            Arrays.sort(latencies);
            System.out.printf("freshness (append -> score updated, %d events at %d/s): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    freshnessEvents, freshnessRate, latencies[freshnessEvents / 2] / 1e6,
                    latencies[(int) (freshnessEvents * 0.99)] / 1e6, latencies[freshnessEvents - 1] / 1e6);
            BenchResult.print("freshness.p99_ms", latencies[(int) (freshnessEvents * 0.99)] / 1e6);
            long checkpointStart = System.nanoTime();
            runner.stop();
            System.out.printf("final checkpoint of %d segments: %.1f s%n", segments,
                    (System.nanoTime() - checkpointStart) / 1e9);
            snapshots.deleteAll("bench-rescore");
            projection = null;
            usedHeapAfterGc();

            // 3. baseline: Axon's JDBC event storage (H2) replayed by a plain pooled processor, one message per event
            long baselineCount = Math.min(baselineEvents, total);
            Path h2 = directory.resolve("h2-" + System.nanoTime());
            Files.createDirectories(h2);
            ScoringProjection baselineProjection = new ScoringProjection(definition);
            AxonJdbcBaseline.Result baseline = AxonJdbcBaseline.run(store, baselineCount, h2, baselineProjection,
                    segments, 100);
            System.out.printf("baseline (Axon JdbcEventStorageEngine on H2 + PooledStreamingEventProcessor, batch 100): "
                    + "%,d events in %.2f s = %,.0f events/s%n", baseline.events(), baseline.replaySeconds(),
                    baseline.eventsPerSecond());
            System.out.printf("ratio: rescore / baseline = %.1fx%n", rescoreRate / baseline.eventsPerSecond());
            BenchResult.print("baseline.events", baseline.events());
            BenchResult.print("baseline.events_per_s", baseline.eventsPerSecond());
            BenchResult.print("rescore.x_baseline", rescoreRate / baseline.eventsPerSecond());
            deleteRecursively(h2);
        }
    }

    /** What one replay of the whole log took: events per second (wall clock) and the process's CPU per event. */
    record Replay(double eventsPerSecond, double cpuMicrosPerEvent) {
    }

    /** One replay of the whole log from {@code start()} until the projection reached {@code total}. */
    static Replay rescore(ProjectionRunner runner, ScoringProjection projection, long total,
            ProjectionRunner.Settings settings) throws InterruptedException {
        long started = System.nanoTime();
        long cpuBefore = processCpuNanos();
        runner.start();
        long lastReport = started;
        while (projection.processedPosition() < total) {
            Thread.sleep(5);
            if (System.nanoTime() - lastReport > 2_000_000_000L) {
                lastReport = System.nanoTime();
                System.out.printf("  ... %,d events applied%n", projection.processedPosition());
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpuSeconds = (processCpuNanos() - cpuBefore) / 1e9;
        double rate = total / seconds;
        System.out.printf("rescore: %,d events, %,d accounts in %.2f s = %,.0f events/s (%d segments, chunks of %d, "
                + "%d chunks per unit of work, %d read-ahead threads; load average %s)%n", total,
                projection.accountCount(), seconds, rate, settings.segments(), settings.maxChunk(),
                settings.batchSize(), settings.readers(), loadAverage());
        System.out.printf("  CPU: %.1f s of the process (GC and JIT included) = %.2f us per event; %.2f of %d cores "
                + "used -> %,.0f events/s if every core were ours%n", cpuSeconds, cpuSeconds * 1e6 / total,
                cpuSeconds / seconds, Runtime.getRuntime().availableProcessors(),
                total / cpuSeconds * Runtime.getRuntime().availableProcessors());
        return new Replay(rate, cpuSeconds * 1e6 / total);
    }

    /** CPU time of the whole process so far (every thread, GC and JIT included). */
    static long processCpuNanos() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    /** The 1-, 5- and 15-minute load averages: how busy the shared machine was. */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (Exception e) {
            return String.format("%.2f", java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                    .getSystemLoadAverage());
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static void deleteRecursively(Path path) throws Exception {
        if (!Files.exists(path)) {
            return;
        }
        List<Path> all = new ArrayList<>();
        try (var walk = Files.walk(path)) {
            walk.forEach(all::add);
        }
        all.sort((a, b) -> b.getNameCount() - a.getNameCount());
        for (Path p : all) {
            Files.deleteIfExists(p);
        }
    }
}
