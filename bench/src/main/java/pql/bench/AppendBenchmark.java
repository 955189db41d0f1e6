package pql.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import pql.eventstore.embedded.EmbeddedStoreOptions;
import pql.eventstore.embedded.RocksDbEventStore;
import pql.eventstore.kurrentdb.KurrentDbEventStore;
import pql.eventstore.kurrentdb.KurrentDbStoreOptions;
import pql.eventstore.postgres.PostgresConnectionOptions;
import pql.eventstore.postgres.PostgresEventStore;
import pql.load.BenchResult;

/**
 * Durable appends per second, per engine (embedded, PostgreSQL, and KurrentDB when
 * {@code PQL_KURRENTDB_URL} names a real server), against a plain PostgreSQL batch insert of the
 * same events measured in the same run. {@code --targets baseline,embedded,postgres,kurrentdb}. Every target gets the same batches (500 events over 50
 * accounts) with the same number of batches in flight, on the same disk, fsync on.
 *
 * <pre>
 * ./mvnw -q -B install -DskipTests -pl bench -am
 * ./mvnw -q -B -pl bench exec:java -Dexec.args="--events 1000000 --in-flight 4 --rounds 5"
 * </pre>
 *
 * Besides its table it prints {@code RESULT <target>.events_per_s | .x_baseline | .cpu_us_per_event}
 * (medians of the measured rounds; CPU of this JVM) for scripts/bench.sh.
 */
public final class AppendBenchmark {

    private AppendBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        int events = Integer.parseInt(options.getOrDefault("events", "1000000"));
        int batchSize = Integer.parseInt(options.getOrDefault("batch", "500"));
        // 10: a batch of 500 touches 50 accounts; 1: every event its own append request (the worst case)
        int perAccount = Integer.parseInt(options.getOrDefault("events-per-account", "10"));
        int inFlight = Integer.parseInt(options.getOrDefault("in-flight", "4"));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "5"));
        // the engine's own loops reach their compiled speed only after a few hundred thousand events
        int warmUpRounds = Integer.parseInt(options.getOrDefault("warm-up-rounds", "2"));
        Path scratch = Files.createDirectories(Path.of(options.getOrDefault("dir", "target/bench-data")));

        System.out.printf(Locale.ROOT, "appends: %,d events per round, batches of %d (%d events per account), %d in flight, "
                + "%d warm-up + %d measured rounds, %d cores%n",
                events, batchSize, perAccount, inFlight, warmUpRounds, rounds, Runtime.getRuntime().availableProcessors());

        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(scratch.resolve("postgres-" + System.nanoTime()))
                .setCleanDataDirectory(true)
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("fsync", "on")
                .setServerConfig("max_connections", "100")
                .start()) {
            DataSource dataSource = postgres.getPostgresDatabase();
            Map<String, Supplier<AppendTarget>> targets = new LinkedHashMap<>();
            targets.put("baseline", () -> unchecked(() -> new PlainPostgresTarget(dataSource)));
            targets.put("embedded", () -> unchecked(() -> {
                Path directory = Files.createTempDirectory(scratch, "embedded");
                return new EngineTarget("embedded engine (RocksDB)",
                        RocksDbEventStore.open(EmbeddedStoreOptions.defaults(directory)), () -> delete(directory));
            }));

            String postgresUrl = postgres.getJdbcUrl("postgres", "postgres");
            int[] schemas = {0};
            targets.put("postgres", () -> {
                // a fresh schema per round, like the embedded engine's fresh directory
                String schema = "pql_bench_" + System.nanoTime() + "_" + schemas[0]++;
                return new EngineTarget("PostgreSQL engine", PostgresEventStore.open(new PostgresConnectionOptions(
                        postgresUrl, "postgres", "", PostgresConnectionOptions.DEFAULT_POOL_SIZE, schema,
                        PostgresConnectionOptions.DEFAULT_CONNECTION_TIMEOUT)), () -> { });
            });
            String kurrentDb = System.getenv("PQL_KURRENTDB_URL");
            if (kurrentDb != null && !kurrentDb.isBlank()) {
                // only against a real server: the in-process protocol server of the tests says nothing about KurrentDB's speed
                targets.put("kurrentdb", () -> new EngineTarget("KurrentDB engine (" + kurrentDb + ")",
                        KurrentDbEventStore.open(KurrentDbStoreOptions.of(kurrentDb)), () -> { }));
            }

            String only = options.get("targets");
            if (only != null) {
                targets.keySet().retainAll(List.of(only.split(",")));
            }
            Map<String, List<Double>> rates = new LinkedHashMap<>();
            Map<String, List<Double>> cpu = new LinkedHashMap<>();
            Map<String, String> names = new LinkedHashMap<>();
            for (int round = 0; round < warmUpRounds + rounds; round++) {
                boolean warmUp = round < warmUpRounds;
                for (Map.Entry<String, Supplier<AppendTarget>> entry : targets.entrySet()) {
                    Workload workload = Workload.generate(entry.getKey() + "-r" + round, events, batchSize,
                            perAccount, 100_000, round);
                    try (AppendTarget target = entry.getValue().get()) {
                        names.put(entry.getKey(), target.name());
                        long start = System.nanoTime();
                        long cpuStart = processCpuNanos();
                        target.appendAll(workload.batches, inFlight);
                        double seconds = (System.nanoTime() - start) / 1e9;
                        double cpuMicros = (processCpuNanos() - cpuStart) / 1e3 / workload.events;
                        double rate = workload.events / seconds;
                        System.out.printf(Locale.ROOT, "%s round %d %-45s %,12.0f events/s  %5.2f us CPU/event in this JVM%n",
                                warmUp ? "warm-up" : "       ", round, target.name(), rate, cpuMicros);
                        if (!warmUp) {
                            rates.computeIfAbsent(entry.getKey(), k -> new ArrayList<>()).add(rate);
                            cpu.computeIfAbsent(entry.getKey(), k -> new ArrayList<>()).add(cpuMicros);
                        }
                    }
                }
            }
            double baseline = rates.containsKey("baseline") ? median(rates.get("baseline")) : Double.NaN;
            System.out.println();
            System.out.println("| target | median events/s | x baseline |");
            System.out.println("|---|---:|---:|");
            for (Map.Entry<String, List<Double>> entry : rates.entrySet()) {
                double median = median(entry.getValue());
                System.out.printf(Locale.ROOT, "| %s | %,.0f | %.2f |%n", names.get(entry.getKey()), median, median / baseline);
            }
            System.out.println();
            for (Map.Entry<String, List<Double>> entry : rates.entrySet()) {
                double median = median(entry.getValue());
                BenchResult.print(entry.getKey() + ".events_per_s", median);
                BenchResult.print(entry.getKey() + ".x_baseline", median / baseline);
                BenchResult.print(entry.getKey() + ".cpu_us_per_event", median(cpu.get(entry.getKey())));
            }
        }
    }

    /** This JVM's CPU time (every thread: callers, the engine's, RocksDB's, GC): PostgreSQL's server is not in it. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return options;
    }

    private interface ThrowingSupplier<T> {
        T get() throws Exception;
    }

    private static <T> T unchecked(ThrowingSupplier<T> supplier) {
        try {
            return supplier.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void delete(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
