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
 * bench.freshnessRate (200 per second).
 */
public final class RescoreBenchmark {

    private RescoreBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int accounts = Integer.getInteger("bench.accounts", 100_000);
        int perAccount = Integer.getInteger("bench.eventsPerAccount", 100);
        Path directory = Path.of(System.getProperty("bench.dir", "target/bench-data")).toAbsolutePath();
        int segments = Integer.getInteger("bench.segments", 2);
        int chunk = Integer.getInteger("bench.chunk", 1024);
        int batch = Integer.getInteger("bench.batch", 16);
        long baselineEvents = Long.getLong("bench.baselineEvents", 1_000_000L);
        int freshnessEvents = Integer.getInteger("bench.freshnessEvents", 2000);
        int freshnessRate = Integer.getInteger("bench.freshnessRate", 200);
        long generated = (long) accounts * perAccount;

        System.out.printf("scoring rescore benchmark: %,d accounts x %d events = %,d events; %d cores, max heap %d MiB%n",
                accounts, perAccount, generated, Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        Path storeDirectory = directory.resolve("events-" + accounts + "x" + perAccount);
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

            // 1. rescore: replay the whole log into a fresh projection through Axon
            long heapBefore = usedHeapAfterGc();
            ScoringProjection projection = new ScoringProjection(definition);
            SegmentSnapshotStore snapshots = new SegmentSnapshotStore(directory.resolve("snapshots"));
            snapshots.deleteAll("bench-rescore");
            ProjectionRunner runner = new ProjectionRunner(projection, "bench-rescore", store, new InMemoryTokenStore(),
                    snapshots, new ProjectionRunner.Settings(segments, batch, chunk, Duration.ofMinutes(10)),
                    Clock.systemUTC());
            long started = System.nanoTime();
            runner.start();
            long lastReport = started;
            while (projection.processedPosition() < total) {
                Thread.sleep(5);
                if (System.nanoTime() - lastReport > 2_000_000_000L) {
                    lastReport = System.nanoTime();
                    System.out.printf("  ... %,d events applied%n", projection.processedPosition());
                }
            }
            double rescoreSeconds = (System.nanoTime() - started) / 1e9;
            double rescoreRate = total / rescoreSeconds;
            System.out.printf("rescore: %,d events, %,d accounts in %.2f s = %,.0f events/s (%d segments, chunks of %d, "
                    + "%d chunks per unit of work)%n", total, projection.accountCount(), rescoreSeconds, rescoreRate,
                    segments, chunk, batch);

            long stateBytes = usedHeapAfterGc() - heapBefore;
            long entries = projection.accounts().stream().mapToLong(s -> s.engagementEntryCount()).sum();
            System.out.printf("state: %,d MiB of heap for %,d accounts (%,d bytes per account, %,d engagement buckets)%n",
                    stateBytes >> 20, projection.accountCount(), stateBytes / Math.max(1, projection.accountCount()),
                    entries);

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
            deleteRecursively(h2);
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
