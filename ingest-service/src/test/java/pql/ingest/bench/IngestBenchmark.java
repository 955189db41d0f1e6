package pql.ingest.bench;

import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import pql.common.grpc.GrpcServerConfig;
import pql.common.grpc.ManagedGrpcServer;
import pql.common.telemetry.Telemetry;
import pql.common.telemetry.TelemetryConfig;
import pql.eventstore.AppendRequest;
import pql.eventstore.AppendResult;
import pql.eventstore.ExpectedVersion;
import pql.eventstore.StreamIds;
import pql.eventstore.embedded.EmbeddedStoreOptions;
import pql.eventstore.embedded.RocksDbEventStore;
import pql.ingest.IngestModule;
import pql.ingest.IngestSettings;
import pql.load.BenchOptions;
import pql.load.BenchResult;
import pql.load.CallsInFlight;
import pql.load.GrpcFutures;
import pql.load.IngestStreams;
import pql.load.IngestWorkload;
import pql.load.LoopbackClient;
import pql.load.Medians;
import pql.load.PacedCalls;
import pql.load.ScratchDirectories;
import pql.load.ThreadCpu;
import pql.load.ThreadCpu.Usage;
import pql.v1.Event;
import pql.v1.EventEnvelope;
import pql.v1.IngestBatchRequest;
import pql.v1.IngestEventRequest;
import pql.v1.IngestServiceGrpc;
import pql.v1.IngestStreamRequest;
import pql.v1.ProductAction;

/**
 * Durable ingest throughput and latency through the real service: a Netty gRPC server and client
 * on loopback, the module as the standalone app builds it (OpenTelemetry SDK on, no exporter),
 * the embedded store with fsync on, in a fresh temporary directory per measurement. The baseline,
 * measured in the same run on the same disk, appends the same events straight to the store
 * without gRPC, validation or encoding (pre-built envelopes, same batches, same grouping).
 *
 * <pre>
 * ./mvnw -q -B -pl ingest-service test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=pql.ingest.bench.IngestBenchmark -Dexec.args="--events 500000 --rounds 3"
 * </pre>
 *
 * Options: --events N per throughput round; --batch 500 events per batch / chunk; --in-flight 8
 * batches in flight; --streams 2 concurrent streams; --rounds 3 (after one warm-up);
 * --unary-rate 1000 calls/s and --unary-seconds 10 for the latency run; --targets a,b,...
 * (baseline, batch, stream, unary, unary-paced); --dir target/bench-data.
 *
 * <p>Besides its tables it prints, for scripts/bench.sh, {@code RESULT <target>.events_per_s |
 * .x_baseline | .cpu_us_per_event} (medians of the rounds, process CPU) and {@code RESULT
 * paced-store.p99_ms}, {@code paced-ingest.p99_ms}.
 */
public final class IngestBenchmark {


    private final BenchOptions options;
    private final Path scratch;
    private final int events;
    private final int batchSize;
    private final int inFlight;
    private final int streams;

    /** The load generator's own threads, so its CPU is told apart from the server's. */
    private final LoopbackClient client = new LoopbackClient();

    private IngestBenchmark(BenchOptions options) throws IOException {
        this.options = options;
        this.scratch = Files.createDirectories(Path.of(options.text("dir", "target/bench-data")));
        this.events = options.integer("events", 500000);
        this.batchSize = options.integer("batch", 500);
        this.inFlight = options.integer("in-flight", 8);
        this.streams = options.integer("streams", 2);
    }

    public static void main(String[] args) throws Exception {
        new IngestBenchmark(BenchOptions.parse(args)).run();
        System.exit(0);
    }

    private void run() throws Exception {
        int rounds = options.integer("rounds", 3);
        List<String> targets = options.list("targets", List.of("baseline", "batch", "stream", "unary", "unary-paced"));
        System.out.printf(Locale.ROOT, "ingest: %,d events per round, batches/chunks of %d, %d batches in flight, %d streams, "
                + "%d rounds + warm-up, %d cores, heap %d MiB%n", events, batchSize, inFlight, streams, rounds,
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);

        Map<String, List<Double>> rates = new LinkedHashMap<>();
        Map<String, List<Double>> cpu = new LinkedHashMap<>();
        Map<String, List<Usage>> timings = new LinkedHashMap<>();
        Map<String, Integer> eventsOf = new LinkedHashMap<>();
        for (int round = 0; round <= rounds; round++) {
            boolean warmUp = round == 0;
            // a full-size warm-up: C2 needs the whole path hot before the figures mean anything
            int count = events;
            for (String target : targets) {
                if (target.equals("unary-paced")) {
                    continue;
                }
                List<List<Event>> workload = workload(target.charAt(0) + "" + round,
                        target.equals("unary") ? Math.min(count, events / 5) : count);
                System.gc();
                Usage timed = switch (target) {
                    case "baseline" -> baseline(workload);
                    case "batch", "stream", "unary" -> throughThe(target, workload);
                    default -> throw new IllegalArgumentException("unknown target " + target);
                };
                double rate = count(workload) / timed.seconds();
                double cpuMicrosPerEvent = timed.processCpuMicrosPerUnit(count(workload));
                System.out.printf(Locale.ROOT, "%s round %d %-10s %,12.0f events/s %8.2f us CPU/event  (load %.1f)%n",
                        warmUp ? "warm-up" : "       ", round, target, rate, cpuMicrosPerEvent, ThreadCpu.loadAverage());
                if (!warmUp) {
                    rates.computeIfAbsent(target, k -> new ArrayList<>()).add(rate);
                    cpu.computeIfAbsent(target, k -> new ArrayList<>()).add(cpuMicrosPerEvent);
                    timings.computeIfAbsent(target, k -> new ArrayList<>()).add(timed);
                    eventsOf.put(target, count(workload));
                }
            }
        }
        System.out.println();
        double baseline = rates.containsKey("baseline") ? Medians.of(rates.get("baseline")) : Double.NaN;
        double baselineCpu = cpu.containsKey("baseline") ? Medians.of(cpu.get("baseline")) : Double.NaN;
        System.out.println("| path | median events/s | rounds | x baseline | CPU us/event (client + server) | x baseline |");
        System.out.println("|---|---:|---|---:|---:|---:|");
        for (Map.Entry<String, List<Double>> entry : rates.entrySet()) {
            double median = Medians.of(entry.getValue());
            double medianCpu = Medians.of(cpu.get(entry.getKey()));
            System.out.printf(Locale.ROOT, "| %s | %,.0f | %s | %.2f | %.2f | %.2f |%n", describe(entry.getKey()), median,
                    entry.getValue().stream().map(r -> String.format(Locale.ROOT, "%,.0f", r)).toList(), median / baseline,
                    medianCpu, medianCpu / baselineCpu);
        }
        System.out.println();
        for (Map.Entry<String, List<Double>> entry : rates.entrySet()) {
            double median = Medians.of(entry.getValue());
            BenchResult.print(entry.getKey() + ".events_per_s", median);
            BenchResult.print(entry.getKey() + ".x_baseline", median / baseline);
            BenchResult.print(entry.getKey() + ".cpu_us_per_event", Medians.of(cpu.get(entry.getKey())));
        }
        System.out.println();
        System.out.println("| path | CPU us/event, all | " + String.join(" | ", GROUPS) + " | GC pauses ms per 100k events |");
        System.out.println("|---|---:|" + "---:|".repeat(GROUPS.size()) + "---:|");
        for (Map.Entry<String, List<Usage>> entry : timings.entrySet()) {
            int n = eventsOf.get(entry.getKey());
            List<Usage> runs = entry.getValue();
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s | %.2f |", entry.getKey(),
                    Medians.of(runs.stream().map(t -> t.processCpuMicrosPerUnit(n)).toList())));
            for (String group : GROUPS) {
                row.append(String.format(Locale.ROOT, " %.2f |", Medians.of(runs.stream().map(t -> t.cpuMicrosPerUnit(group, n)).toList())));
            }
            row.append(String.format(Locale.ROOT, " %.0f |", Medians.of(runs.stream().map(t -> t.gcMillis() * 1e5 / n).toList())));
            System.out.println(row);
        }
        System.out.println();
        System.out.println("| path | bytes allocated per event: load generator | ingest server | store sequencer + committer |");
        System.out.println("|---|---:|---:|---:|");
        for (Map.Entry<String, List<Usage>> entry : timings.entrySet()) {
            int n = eventsOf.get(entry.getKey());
            List<Usage> runs = entry.getValue();
            System.out.printf(Locale.ROOT, "| %s | %.0f | %.0f | %.0f |%n", entry.getKey(),
                    Medians.of(runs.stream().map(t -> t.bytesPerUnit("load generator", n)).toList()),
                    Medians.of(runs.stream().map(t -> t.bytesPerUnit("ingest server", n)).toList()),
                    Medians.of(runs.stream().map(t -> t.bytesPerUnit("store sequencer + committer", n)).toList()));
        }
        if (targets.contains("unary-paced")) {
            System.out.println();
            System.out.println("| single events paced (open loop) | achieved | p50 | p90 | p99 | p99.9 | max | failures |");
            System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
            PacedCalls.Outcome store = pacedUnary(true);
            PacedCalls.Outcome grpc = pacedUnary(false);
            System.out.println();
            BenchResult.print("paced-store.p99_ms", store.millis(0.99));
            BenchResult.print("paced-ingest.p99_ms", grpc.millis(0.99));
        }
    }

    private String describe(String target) {
        return switch (target) {
            case "baseline" -> "baseline: store.appendAsync, pre-built envelopes, " + inFlight + " batches of " + batchSize + " in flight";
            case "batch" -> "IngestBatch, " + batchSize + " per call, " + inFlight + " calls in flight";
            case "stream" -> "IngestStream, " + streams + " streams, chunks of " + batchSize;
            case "unary" -> "IngestEvent, 64 calls in flight";
            default -> target;
        };
    }

    // --- measurements ---

    private Usage baseline(List<List<Event>> batches) throws Exception {
        List<List<AppendRequest>> appends = new ArrayList<>(batches.size());
        Timestamp recordedAt = now();
        for (List<Event> batch : batches) {
            Map<String, List<EventEnvelope>> perAccount = new LinkedHashMap<>();
            for (Event event : batch) {
                perAccount.computeIfAbsent(event.getAccountId(), a -> new ArrayList<>()).add(envelope(event, recordedAt));
            }
            List<AppendRequest> requests = new ArrayList<>();
            perAccount.forEach((account, envelopes) -> requests.add(
                    new AppendRequest(StreamIds.forAccount(account), ExpectedVersion.ANY, envelopes)));
            appends.add(requests);
        }
        Path directory = Files.createTempDirectory(scratch, "baseline");
        try (RocksDbEventStore store = RocksDbEventStore.open(EmbeddedStoreOptions.defaults(directory))) {
            Semaphore slots = new Semaphore(inFlight);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            ThreadCpu.Start clock = ThreadCpu.start();
            for (List<AppendRequest> requests : appends) {
                slots.acquire();
                CompletableFuture<List<AppendResult>> appended = store.appendAsync(requests);
                appended.whenComplete((results, error) -> {
                    if (error != null) {
                        failure.set(error);
                    }
                    slots.release();
                });
            }
            slots.acquire(inFlight);
            Usage timed = clock.stop(IngestBenchmark::groupOf);
            if (failure.get() != null) {
                throw new IllegalStateException(failure.get());
            }
            return timed;
        } finally {
            ScratchDirectories.delete(directory);
        }
    }

    private Usage throughThe(String path, List<List<Event>> batches) throws Exception {
        Path directory = Files.createTempDirectory(scratch, path);
        RocksDbEventStore store = RocksDbEventStore.open(EmbeddedStoreOptions.defaults(directory));
        Telemetry telemetry = Telemetry.create("pql-ingest-bench", new TelemetryConfig());
        IngestModule module = new IngestModule(new IngestSettings(), store, telemetry, Clock.systemUTC());
        ManagedGrpcServer server = new ManagedGrpcServer("ingest-bench", new GrpcServerConfig().setPort(0),
                module.services(), List.of(telemetry.serverInterceptor()));
        server.start();
        ManagedChannel channel = client.channel(server.port());
        try {
            Usage timed = switch (path) {
                case "batch" -> batches(channel, batches);
                case "stream" -> streams(channel, batches);
                case "unary" -> unary(channel, batches);
                default -> throw new IllegalArgumentException(path);
            };
            long stored = store.headPosition();
            if (stored != count(batches)) {
                throw new IllegalStateException(path + ": stored " + stored + " of " + count(batches) + " events");
            }
            return timed;
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.stop();
            module.close();
            store.close();
            telemetry.close();
            ScratchDirectories.delete(directory);
        }
    }

    private Usage batches(ManagedChannel channel, List<List<Event>> batches) throws Exception {
        List<IngestBatchRequest> requests = batches.stream()
                .map(batch -> IngestBatchRequest.newBuilder().addAllEvents(batch).build()).toList();
        IngestServiceGrpc.IngestServiceFutureStub stub = IngestServiceGrpc.newFutureStub(channel);
        ThreadCpu.Start clock = ThreadCpu.start();
        Throwable failure = CallsInFlight.run(requests.size(), inFlight, i -> GrpcFutures.toCompletable(stub.ingestBatch(requests.get(i)))
                .thenAccept(response -> {
                    if (response.getAccepted() != requests.get(i).getEventsCount()) {
                        throw new IllegalStateException("accepted " + response.getAccepted());
                    }
                }));
        Usage timed = clock.stop(IngestBenchmark::groupOf);
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
        return timed;
    }

    private Usage streams(ManagedChannel channel, List<List<Event>> batches) throws Exception {
        List<IngestStreamRequest> chunks = new ArrayList<>(batches.size());
        for (int i = 0; i < batches.size(); i++) {
            chunks.add(IngestStreamRequest.newBuilder().setSequence(i).addAllEvents(batches.get(i)).build());
        }
        ThreadCpu.Start clock = ThreadCpu.start();
        IngestStreams.send(IngestServiceGrpc.newStub(channel), streams, chunks.size(), (index, sequence) -> chunks.get(index));
        return clock.stop(IngestBenchmark::groupOf);
    }

    private Usage unary(ManagedChannel channel, List<List<Event>> batches) throws Exception {
        IngestServiceGrpc.IngestServiceFutureStub stub = IngestServiceGrpc.newFutureStub(channel);
        List<IngestEventRequest> requests = new ArrayList<>();
        batches.forEach(batch -> batch.forEach(event -> requests.add(IngestEventRequest.newBuilder().setEvent(event).build())));
        ThreadCpu.Start clock = ThreadCpu.start();
        Throwable failure = CallsInFlight.run(requests.size(), 64, i -> GrpcFutures.toCompletable(stub.ingestEvent(requests.get(i))));
        Usage timed = clock.stop(IngestBenchmark::groupOf);
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
        return timed;
    }

    /**
     * Unary latency at a fixed arrival rate (open loop): call i is due at start + i / rate, and its
     * latency counts from when it was due, so a stall also charges the calls queued behind it.
     */
    private PacedCalls.Outcome pacedUnary(boolean storeOnly) throws Exception {
        int rate = options.integer("unary-rate", 1000);
        int seconds = options.integer("unary-seconds", 10);
        int warmUpCalls = rate * 5;
        int calls = rate * seconds;
        Path directory = Files.createTempDirectory(scratch, "paced");
        RocksDbEventStore store = RocksDbEventStore.open(EmbeddedStoreOptions.defaults(directory));
        Telemetry telemetry = Telemetry.create("pql-ingest-bench", new TelemetryConfig());
        IngestModule module = new IngestModule(new IngestSettings(), store, telemetry, Clock.systemUTC());
        ManagedGrpcServer server = new ManagedGrpcServer("ingest-bench", new GrpcServerConfig().setPort(0),
                module.services(), List.of(telemetry.serverInterceptor()));
        server.start();
        ManagedChannel channel = client.channel(server.port());
        try {
            List<Event> events = new ArrayList<>();
            workload("p", warmUpCalls + calls).forEach(events::addAll);
            IngestServiceGrpc.IngestServiceFutureStub stub = IngestServiceGrpc.newFutureStub(channel);
            Timestamp recordedAt = now();
            PacedCalls.Outcome paced = PacedCalls.run(warmUpCalls + calls, rate, warmUpCalls, i -> {
                Event event = events.get(i);
                return storeOnly
                        ? store.appendAsync(List.of(new AppendRequest(StreamIds.forAccount(event.getAccountId()), ExpectedVersion.ANY,
                                List.of(envelope(event, recordedAt)))))
                        : GrpcFutures.toCompletable(stub.ingestEvent(IngestEventRequest.newBuilder().setEvent(event).build()));
            });
            System.out.printf(Locale.ROOT, "| %s at %,d/s for %d s (after %d s warm-up) | %,.0f/s "
                    + "| %.2f ms | %.2f ms | %.2f ms | %.2f ms | %.2f ms | %d |%n",
                    storeOnly ? "baseline: store.appendAsync of 1 event" : "IngestEvent over gRPC", rate, seconds,
                    warmUpCalls / rate, paced.callsPerSecond(), paced.millis(0.50), paced.millis(0.90),
                    paced.millis(0.99), paced.millis(0.999), paced.maxMillis(), paced.failures());
            return paced;
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.stop();
            module.close();
            store.close();
            telemetry.close();
            ScratchDirectories.delete(directory);
        }
    }

    // --- workload ---

    /**
     * The shared ingest workload ({@link IngestWorkload}: batches of {@code batchSize} touching 50
     * accounts, ten events each), every batch built before the clock starts: the baseline appends
     * these very events straight to the store.
     */
    private List<List<Event>> workload(String tag, int totalEvents) {
        IngestWorkload workload = new IngestWorkload(tag, totalEvents, batchSize, batchSize / 50);
        List<List<Event>> batches = new ArrayList<>(workload.batches());
        for (int b = 0; b < workload.batches(); b++) {
            batches.add(workload.batch(b));
        }
        return batches;
    }

    private static final List<String> GROUPS = List.of("load generator", "ingest server", "store sequencer + committer",
            "RocksDB background", "GC", "JIT", "other JVM");

    /** The group of a thread, by its name (the kernel keeps 15 characters of a name). */
    private static String groupOf(String name) {
        // the main thread: "java" to the kernel, "main" to Java, named after this class under exec:java
        if (name.equals("java") || name.equals("main") || name.startsWith("bench-client")
                || name.startsWith("pql.ingest.benc")) {
            return "load generator";
        }
        if (name.equals("store-sequencer") || name.equals("store-committer")) {
            return "store sequencer + committer";
        }
        if (name.startsWith("rocksdb")) {
            return "RocksDB background";
        }
        if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.equals("VM Thread")) {
            return "GC";
        }
        if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
            return "JIT";
        }
        if (name.startsWith("grpc-") || name.startsWith("ingest-")) {
            return "ingest server";
        }
        return "other JVM";
    }

    private static EventEnvelope envelope(Event event, Timestamp recordedAt) {
        return EventEnvelope.newBuilder()
                .setEventId(event.getEventId()).setType("pql.v1.ProductAction").setAccountId(event.getAccountId())
                .setOccurredAt(event.getOccurredAt()).setRecordedAt(recordedAt)
                .setPayload(event.getProductAction().toByteString()).setSchemaRevision(1)
                // the service stores the call's trace context in every envelope: same bytes here
                .setTraceContext(pql.v1.TraceContext.newBuilder()
                        .setTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
                .build();
    }

    private static int count(List<List<Event>> batches) {
        return batches.stream().mapToInt(List::size).sum();
    }

    private static Timestamp now() {
        Instant now = Instant.now();
        return Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build();
    }
}
