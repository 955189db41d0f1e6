package pql.allinone.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import pql.load.BenchOptions;
import pql.load.BenchResult;
import pql.load.IngestWorkload;
import pql.load.LoopbackClient;
import pql.load.Medians;
import pql.load.PacedCalls;
import pql.load.ScratchDirectories;
import pql.load.ThreadCpu;
import pql.load.ThreadCpu.Usage;

/**
 * Durable ingest through the gateway against ingest-service alone, in one run, over the same
 * store on the same disk:
 *
 * <ul>
 *   <li>{@code gateway-*}: the all-in-one as {@code pql start} runs it (in-process services behind
 *       the gateway's Netty port, auth, telemetry), scoring and forecast left idle so the figures
 *       are the gateway and ingest alone;</li>
 *   <li>{@code direct-*}: the same calls straight to ingest-service on its own Netty server, as
 *       its standalone app serves it (the baseline);</li>
 *   <li>{@code suite-stream}: the whole all-in-one, the scoring projection following the load;</li>
 *   <li>paced single events (IngestEvent at a fixed rate, open loop) through the gateway and
 *       direct.</li>
 * </ul>
 *
 * The client is a gRPC Netty channel on loopback in this JVM with its own event loop and
 * executor, so its CPU is told apart. Every answer is checked: each event must come back
 * ACCEPTED. Each measurement gets a fresh store directory and fresh servers; the JIT stays warm
 * across them (one full-size warm-up round first).
 *
 * <pre>
 * ./mvnw -q -B -pl all-in-one test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=pql.allinone.bench.GatewayIngestBenchmark -Dexec.args="--events 300000 --rounds 3"
 * </pre>
 *
 * Options: --events N per throughput measurement (300000); --batch events per batch / chunk (500);
 * --in-flight IngestBatch calls in flight (8); --events-per-account consecutive events of one account in
 * a batch (10; 1 = every event its own store stream); --streams concurrent IngestStream calls (2);
 * --rounds (3, after a warm-up round); --targets (direct-stream,gateway-stream,direct-batch,
 * gateway-batch,suite-stream); --paced (direct,gateway; "none" to skip); --unary-rate calls/s
 * (1000); --unary-seconds measured (10, after 5 s of warm-up); --threads true (print the busiest
 * threads of each measurement); --dir (target/bench-data).
 *
 * <p>Besides its tables it prints, for scripts/bench.sh, {@code RESULT <target>.events_per_s |
 * .cpu_us_per_event (whole process, load generator included) | .server_cpu_us_per_event | .x_direct}
 * (medians of the rounds) and {@code RESULT <direct|gateway>-unary.p50_ms | .p99_ms | .failures}.
 */
public final class GatewayIngestBenchmark {

    private static final List<String> DEFAULT_TARGETS = List.of("direct-stream", "gateway-stream", "direct-batch", "gateway-batch",
            "suite-stream");

    private final BenchOptions options;
    private final Path scratch;
    private final int events;
    private final int batchSize;
    private final int inFlight;
    private final int streams;
    private final int perAccount;
    private final boolean printThreads;

    /** The load generator's own threads, so its CPU is told apart from the servers'. */
    private final LoopbackClient client = new LoopbackClient();

    private GatewayIngestBenchmark(BenchOptions options) throws IOException {
        this.options = options;
        this.scratch = Files.createDirectories(Path.of(options.text("dir", "target/bench-data")).toAbsolutePath());
        this.events = options.integer("events", 300000);
        this.batchSize = options.integer("batch", 500);
        this.inFlight = options.integer("in-flight", 8);
        this.streams = options.integer("streams", 2);
        this.perAccount = options.integer("events-per-account", 10);
        this.printThreads = options.flag("threads", false);
    }

    public static void main(String[] args) throws Exception {
        // Until the first all-in-one configures logging, logback's default would print DEBUG lines.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        new GatewayIngestBenchmark(BenchOptions.parse(args)).run();
        System.exit(0);
    }

    private void run() throws Exception {
        int rounds = options.integer("rounds", 3);
        List<String> targets = options.list("targets", DEFAULT_TARGETS);
        System.out.printf(Locale.ROOT, "gateway ingest: %,d events per measurement, batches/chunks of %d (%d events per account), "
                + "%d batches in flight, %d streams, %d rounds + warm-up, %d cores, heap %d MiB, load %.2f%n", events, batchSize,
                perAccount, inFlight, streams, rounds,
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, ThreadCpu.loadAverage());

        Map<String, List<Measured>> results = new LinkedHashMap<>();
        for (int round = 0; round <= rounds; round++) {
            for (String target : targets) {
                Measured measured = throughput(target, round);
                System.out.printf(Locale.ROOT, "%s round %d %-15s %,10.0f events/s %7.2f us CPU/event %5.2f cores (load %.2f)%n",
                        round == 0 ? "warm-up" : "       ", round, target, measured.rate(), measured.usage().cpuMicrosPerUnit(events),
                        measured.usage().cores(), measured.load());
                if (printThreads) {
                    printBusiestThreads(measured.usage(), events);
                }
                if (round > 0) {
                    results.computeIfAbsent(target, k -> new ArrayList<>()).add(measured);
                }
            }
        }
        printThroughput(results);
        printCpuSplit(results);

        List<String> paced = options.list("paced", List.of("direct", "gateway"));
        if (!paced.contains("none")) {
            printPaced(paced);
        }
    }

    // --- measurements ---

    private record Measured(double rate, Usage usage, double load) {
    }

    private Measured throughput(String target, int round) throws Exception {
        String[] parts = target.split("-", 2);
        IngestWorkload workload = new IngestWorkload(target + round, events, batchSize, perAccount);
        Path directory = Files.createTempDirectory(scratch, target);
        try (IngestTargets server = start(parts[0], directory); LoopbackClient.Connection connection = client.connect(server.port())) {
            IngestLoad load = new IngestLoad(connection.channel(), server.credentials());
            ThreadCpu.Start clock = ThreadCpu.start();
            long accepted = switch (parts[1]) {
                case "stream" -> load.streams(workload, streams);
                case "batch" -> load.batches(workload, inFlight);
                default -> throw new IllegalArgumentException("unknown call in " + target + " (stream or batch)");
            };
            Usage usage = clock.stop(GatewayThreadGroups::group);
            if (accepted != workload.events()) {
                throw new IllegalStateException(target + ": " + accepted + " of " + workload.events() + " events accepted");
            }
            return new Measured(workload.events() / usage.seconds(), usage, ThreadCpu.loadAverage());
        } finally {
            ScratchDirectories.delete(directory);
        }
    }

    private static IngestTargets start(String kind, Path directory) throws Exception {
        return switch (kind) {
            case "direct" -> IngestTargets.direct(directory);
            case "gateway" -> IngestTargets.allInOne(directory, false);
            case "suite" -> IngestTargets.allInOne(directory, true);
            default -> throw new IllegalArgumentException("unknown target kind " + kind + " (direct, gateway or suite)");
        };
    }

    private void printPaced(List<String> kinds) throws Exception {
        int rate = options.integer("unary-rate", 1000);
        int seconds = options.integer("unary-seconds", 10);
        int warmUpCalls = rate * 5;
        System.out.println();
        System.out.println("| IngestEvent paced at " + rate + "/s, open loop, " + seconds + " s after 5 s warm-up | achieved | p50 | p90 "
                + "| p99 | p99.9 | max | failures | CPU us/call | load |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        Map<String, Double> figures = new LinkedHashMap<>();
        for (String kind : kinds) {
            IngestWorkload workload = new IngestWorkload("paced-" + kind, warmUpCalls + rate * seconds, batchSize, perAccount);
            Path directory = Files.createTempDirectory(scratch, "paced-" + kind);
            try (IngestTargets server = start(kind, directory); LoopbackClient.Connection connection = client.connect(server.port())) {
                var requests = workload.eventRequests();
                ThreadCpu.Start clock = ThreadCpu.start();
                PacedCalls.Outcome latencies = new IngestLoad(connection.channel(), server.credentials()).paced(requests, rate, warmUpCalls);
                Usage usage = clock.stop(GatewayThreadGroups::group);
                System.out.printf(Locale.ROOT, "| %s | %,.0f/s | %.2f ms | %.2f ms | **%.2f ms** | %.2f ms | %.2f ms | %d | %.1f | %.2f |%n",
                        describe(kind + "-unary"), latencies.callsPerSecond(), latencies.millis(0.50), latencies.millis(0.90),
                        latencies.millis(0.99), latencies.millis(0.999), latencies.maxMillis(), latencies.failures(),
                        usage.cpuMicrosPerUnit(requests.size()), ThreadCpu.loadAverage());
                figures.put(kind + "-unary.p50_ms", latencies.millis(0.50));
                figures.put(kind + "-unary.p99_ms", latencies.millis(0.99));
                figures.put(kind + "-unary.failures", (double) latencies.failures());
                if (printThreads) {
                    printBusiestThreads(usage, requests.size());
                }
            } finally {
                ScratchDirectories.delete(directory);
            }
        }
        System.out.println();
        figures.forEach(BenchResult::print);
    }

    // --- reports ---

    private void printThroughput(Map<String, List<Measured>> results) {
        System.out.println();
        System.out.println("| path | median events/s | per round (load) | x direct, same round (median) | CPU us/event, all "
                + "| server side (all but the load generator) | x direct, server side |");
        System.out.println("|---|---:|---|---:|---:|---:|---:|");
        Map<String, Double> figures = new LinkedHashMap<>();
        for (Map.Entry<String, List<Measured>> entry : results.entrySet()) {
            List<Measured> runs = entry.getValue();
            List<Measured> direct = results.get("direct-" + entry.getKey().split("-", 2)[1]);
            String ratio = "";
            String cpuRatio = "";
            if (direct != null && !entry.getKey().startsWith("direct")) {
                List<Double> ratios = new ArrayList<>();
                List<Double> cpuRatios = new ArrayList<>();
                for (int i = 0; i < Math.min(runs.size(), direct.size()); i++) {
                    ratios.add(runs.get(i).rate() / direct.get(i).rate());
                    cpuRatios.add(serverSide(runs.get(i)) / serverSide(direct.get(i)));
                }
                ratio = String.format(Locale.ROOT, "%.2f", Medians.of(ratios));
                cpuRatio = String.format(Locale.ROOT, "%.2f", Medians.of(cpuRatios));
                figures.put(entry.getKey() + ".x_direct", Medians.of(ratios));
            }
            figures.put(entry.getKey() + ".events_per_s", Medians.of(runs.stream().map(Measured::rate).toList()));
            figures.put(entry.getKey() + ".cpu_us_per_event", Medians.of(runs.stream().map(m -> m.usage().cpuMicrosPerUnit(events)).toList()));
            figures.put(entry.getKey() + ".server_cpu_us_per_event", Medians.of(runs.stream().map(this::serverSide).toList()));
            System.out.printf(Locale.ROOT, "| %s | %,.0f | %s | %s | %.2f | %.2f | %s |%n", describe(entry.getKey()),
                    Medians.of(runs.stream().map(Measured::rate).toList()),
                    String.join(", ", runs.stream().map(m -> String.format(Locale.ROOT, "%,.0f (%.1f)", m.rate(), m.load())).toList()),
                    ratio, Medians.of(runs.stream().map(m -> m.usage().cpuMicrosPerUnit(events)).toList()),
                    Medians.of(runs.stream().map(this::serverSide).toList()), cpuRatio);
        }
        System.out.println();
        figures.forEach(BenchResult::print);
    }

    /** CPU us per event of everything but the load generator. */
    private double serverSide(Measured measured) {
        return measured.usage().cpuMicrosPerUnit(events) - measured.usage().cpuMicrosPerUnit(GatewayThreadGroups.LOAD_GENERATOR, events);
    }

    private void printCpuSplit(Map<String, List<Measured>> results) {
        System.out.println();
        System.out.println("CPU us per event by thread group (median of the rounds):");
        System.out.println("| path | all | " + String.join(" | ", GatewayThreadGroups.GROUPS) + " | GC ms per 100k events |");
        System.out.println("|---|---:|" + "---:|".repeat(GatewayThreadGroups.GROUPS.size()) + "---:|");
        for (Map.Entry<String, List<Measured>> entry : results.entrySet()) {
            List<Measured> runs = entry.getValue();
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s | %.2f |", entry.getKey(),
                    Medians.of(runs.stream().map(m -> m.usage().cpuMicrosPerUnit(events)).toList())));
            for (String group : GatewayThreadGroups.GROUPS) {
                row.append(String.format(Locale.ROOT, " %.2f |", Medians.of(runs.stream().map(m -> m.usage().cpuMicrosPerUnit(group, events)).toList())));
            }
            row.append(String.format(Locale.ROOT, " %.0f |", Medians.of(runs.stream().map(m -> m.usage().gcMillis() * 1e5 / events).toList())));
            System.out.println(row);
        }
        System.out.println();
        System.out.println("Bytes allocated per event by thread group (median of the rounds):");
        List<String> allocating = List.of(GatewayThreadGroups.LOAD_GENERATOR, GatewayThreadGroups.NETTY, GatewayThreadGroups.GRPC_EXECUTORS, GatewayThreadGroups.INGEST,
                GatewayThreadGroups.STORE, GatewayThreadGroups.OTHER);
        System.out.println("| path | " + String.join(" | ", allocating) + " |");
        System.out.println("|---|" + "---:|".repeat(allocating.size()));
        for (Map.Entry<String, List<Measured>> entry : results.entrySet()) {
            StringBuilder row = new StringBuilder("| " + entry.getKey() + " |");
            for (String group : allocating) {
                row.append(String.format(Locale.ROOT, " %,.0f |",
                        Medians.of(entry.getValue().stream().map(m -> m.usage().bytesPerUnit(group, events)).toList())));
            }
            System.out.println(row);
        }
    }

    private static void printBusiestThreads(Usage usage, int units) {
        usage.cpuByThread().entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(12)
                .forEach(e -> System.out.printf(Locale.ROOT, "          %-28s %6.2f us/event  [%s]%n", e.getKey(), e.getValue() / 1e3 / units,
                        GatewayThreadGroups.group(e.getKey())));
    }

    private String describe(String target) {
        return switch (target) {
            case "direct-stream" -> "direct: IngestStream to ingest-service, " + streams + " streams, chunks of " + batchSize;
            case "gateway-stream" -> "gateway: IngestStream through the all-in-one's gateway, " + streams + " streams, chunks of " + batchSize;
            case "suite-stream" -> "suite: as gateway-stream, scoring projecting alongside";
            case "direct-batch" -> "direct: IngestBatch to ingest-service, " + batchSize + " per call, " + inFlight + " in flight";
            case "gateway-batch" -> "gateway: IngestBatch through the all-in-one's gateway, " + batchSize + " per call, " + inFlight
                    + " in flight";
            case "suite-batch" -> "suite: as gateway-batch, scoring projecting alongside";
            case "direct-unary" -> "direct: ingest-service";
            case "gateway-unary" -> "gateway: the all-in-one's gateway";
            case "suite-unary" -> "suite: the all-in-one's gateway, scoring projecting";
            default -> target;
        };
    }
}
