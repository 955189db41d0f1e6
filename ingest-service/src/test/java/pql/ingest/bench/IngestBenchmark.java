package pql.ingest.bench;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
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
import pql.load.CallsInFlight;
import pql.load.GrpcFutures;
import pql.load.PacedCalls;
import pql.load.SyntheticProductActions;
import pql.load.ThreadUsage;
import pql.v1.Event;
import pql.v1.EventEnvelope;
import pql.v1.IngestBatchRequest;
import pql.v1.IngestEventRequest;
import pql.v1.IngestEventResponse;
import pql.v1.IngestServiceGrpc;
import pql.v1.IngestStreamRequest;
import pql.v1.IngestStreamResponse;
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
 */
public final class IngestBenchmark {


    private final Map<String, String> options;
    private final Path scratch;
    private final int events;
    private final int batchSize;
    private final int inFlight;
    private final int streams;

    /** The load generator's own threads, so its CPU is told apart from the server's. */
    private final io.grpc.netty.shaded.io.netty.channel.EventLoopGroup clientLoop =
            new io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup(1, daemonThreads("bench-client-io"));
    private final java.util.concurrent.ExecutorService clientExecutor =
            java.util.concurrent.Executors.newFixedThreadPool(2, daemonThreads("bench-client-exec"));

    private IngestBenchmark(Map<String, String> options) throws IOException {
        this.options = options;
        this.scratch = Files.createDirectories(Path.of(options.getOrDefault("dir", "target/bench-data")));
        this.events = Integer.parseInt(options.getOrDefault("events", "500000"));
        this.batchSize = Integer.parseInt(options.getOrDefault("batch", "500"));
        this.inFlight = Integer.parseInt(options.getOrDefault("in-flight", "8"));
        this.streams = Integer.parseInt(options.getOrDefault("streams", "2"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        new IngestBenchmark(options).run();
        System.exit(0);
    }

    private void run() throws Exception {
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
        List<String> targets = List.of(options.getOrDefault("targets", "baseline,batch,stream,unary,unary-paced").split(","));
        System.out.printf(Locale.ROOT, "ingest: %,d events per round, batches/chunks of %d, %d batches in flight, %d streams, "
                + "%d rounds + warm-up, %d cores, heap %d MiB%n", events, batchSize, inFlight, streams, rounds,
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);

        Map<String, List<Double>> rates = new LinkedHashMap<>();
        Map<String, List<Double>> cpu = new LinkedHashMap<>();
        Map<String, List<Timed>> timings = new LinkedHashMap<>();
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
                Timed timed = switch (target) {
                    case "baseline" -> baseline(workload);
                    case "batch", "stream", "unary" -> throughThe(target, workload);
                    default -> throw new IllegalArgumentException("unknown target " + target);
                };
                double rate = count(workload) / timed.seconds();
                double cpuMicrosPerEvent = timed.cpuNanos() / 1e3 / count(workload);
                System.out.printf(Locale.ROOT, "%s round %d %-10s %,12.0f events/s %8.2f us CPU/event  (load %.1f)%n",
                        warmUp ? "warm-up" : "       ", round, target, rate, cpuMicrosPerEvent, loadAverage());
                if (!warmUp) {
                    rates.computeIfAbsent(target, k -> new ArrayList<>()).add(rate);
                    cpu.computeIfAbsent(target, k -> new ArrayList<>()).add(cpuMicrosPerEvent);
                    timings.computeIfAbsent(target, k -> new ArrayList<>()).add(timed);
                    eventsOf.put(target, count(workload));
                }
            }
        }
        System.out.println();
        double baseline = rates.containsKey("baseline") ? median(rates.get("baseline")) : Double.NaN;
        double baselineCpu = cpu.containsKey("baseline") ? median(cpu.get("baseline")) : Double.NaN;
        System.out.println("| path | median events/s | rounds | x baseline | CPU us/event (client + server) | x baseline |");
        System.out.println("|---|---:|---|---:|---:|---:|");
        for (Map.Entry<String, List<Double>> entry : rates.entrySet()) {
            double median = median(entry.getValue());
            double medianCpu = median(cpu.get(entry.getKey()));
            System.out.printf(Locale.ROOT, "| %s | %,.0f | %s | %.2f | %.2f | %.2f |%n", describe(entry.getKey()), median,
                    entry.getValue().stream().map(r -> String.format(Locale.ROOT, "%,.0f", r)).toList(), median / baseline,
                    medianCpu, medianCpu / baselineCpu);
        }
        System.out.println();
        System.out.println("| path | CPU us/event, all | " + String.join(" | ", ThreadTicks.GROUPS) + " | GC pauses ms per 100k events |");
        System.out.println("|---|---:|" + "---:|".repeat(ThreadTicks.GROUPS.size()) + "---:|");
        for (Map.Entry<String, List<Timed>> entry : timings.entrySet()) {
            int n = eventsOf.get(entry.getKey());
            List<Timed> runs = entry.getValue();
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s | %.2f |", entry.getKey(),
                    median(runs.stream().map(t -> t.cpuNanos() / 1e3 / n).toList())));
            for (String group : ThreadTicks.GROUPS) {
                row.append(String.format(Locale.ROOT, " %.2f |", median(runs.stream().map(t -> t.microsPerEvent(group, n)).toList())));
            }
            row.append(String.format(Locale.ROOT, " %.0f |", median(runs.stream().map(t -> t.gcMillis() * 1e5 / n).toList())));
            System.out.println(row);
        }
        System.out.println();
        System.out.println("| path | bytes allocated per event: load generator | ingest server | store sequencer + committer |");
        System.out.println("|---|---:|---:|---:|");
        for (Map.Entry<String, List<Timed>> entry : timings.entrySet()) {
            int n = eventsOf.get(entry.getKey());
            List<Timed> runs = entry.getValue();
            System.out.printf(Locale.ROOT, "| %s | %.0f | %.0f | %.0f |%n", entry.getKey(),
                    median(runs.stream().map(t -> t.bytesPerEvent("load generator", n)).toList()),
                    median(runs.stream().map(t -> t.bytesPerEvent("ingest server", n)).toList()),
                    median(runs.stream().map(t -> t.bytesPerEvent("store sequencer + committer", n)).toList()));
        }
        if (targets.contains("unary-paced")) {
            System.out.println();
            System.out.println("| single events paced (open loop) | achieved | p50 | p90 | p99 | p99.9 | max | failures |");
            System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
            pacedUnary(true);
            pacedUnary(false);
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

    private Timed baseline(List<List<Event>> batches) throws Exception {
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
            Timed.Stopwatch clock = Timed.start();
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
            Timed timed = clock.stop();
            if (failure.get() != null) {
                throw new IllegalStateException(failure.get());
            }
            return timed;
        } finally {
            delete(directory);
        }
    }

    private Timed throughThe(String path, List<List<Event>> batches) throws Exception {
        Path directory = Files.createTempDirectory(scratch, path);
        RocksDbEventStore store = RocksDbEventStore.open(EmbeddedStoreOptions.defaults(directory));
        Telemetry telemetry = Telemetry.create("pql-ingest-bench", new TelemetryConfig());
        IngestModule module = new IngestModule(new IngestSettings(), store, telemetry, Clock.systemUTC());
        ManagedGrpcServer server = new ManagedGrpcServer("ingest-bench", new GrpcServerConfig().setPort(0),
                module.services(), List.of(telemetry.serverInterceptor()));
        server.start();
        ManagedChannel channel = clientChannel(server.port());
        try {
            Timed timed = switch (path) {
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
            delete(directory);
        }
    }

    private Timed batches(ManagedChannel channel, List<List<Event>> batches) throws Exception {
        List<IngestBatchRequest> requests = batches.stream()
                .map(batch -> IngestBatchRequest.newBuilder().addAllEvents(batch).build()).toList();
        IngestServiceGrpc.IngestServiceFutureStub stub = IngestServiceGrpc.newFutureStub(channel);
        Timed.Stopwatch clock = Timed.start();
        Throwable failure = CallsInFlight.run(requests.size(), inFlight, i -> GrpcFutures.toCompletable(stub.ingestBatch(requests.get(i)))
                .thenAccept(response -> {
                    if (response.getAccepted() != requests.get(i).getEventsCount()) {
                        throw new IllegalStateException("accepted " + response.getAccepted());
                    }
                }));
        Timed timed = clock.stop();
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
        return timed;
    }

    private Timed streams(ManagedChannel channel, List<List<Event>> batches) throws Exception {
        List<List<IngestStreamRequest>> perStream = new ArrayList<>();
        for (int s = 0; s < streams; s++) {
            perStream.add(new ArrayList<>());
        }
        for (int i = 0; i < batches.size(); i++) {
            perStream.get(i % streams).add(IngestStreamRequest.newBuilder().setSequence(i).addAllEvents(batches.get(i)).build());
        }
        CountDownLatch done = new CountDownLatch(streams);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Timed.Stopwatch clock = Timed.start();
        for (List<IngestStreamRequest> chunks : perStream) {
            IngestServiceGrpc.newStub(channel).ingestStream(new PacedStream(chunks, done, failure));
        }
        if (!done.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("streams did not finish");
        }
        Timed timed = clock.stop();
        if (failure.get() != null) {
            throw new IllegalStateException(failure.get());
        }
        return timed;
    }

    /** Sends chunks while the call is ready, i.e. as fast as the server reads them. */
    private static final class PacedStream implements ClientResponseObserver<IngestStreamRequest, IngestStreamResponse> {
        private final List<IngestStreamRequest> chunks;
        private final CountDownLatch done;
        private final AtomicReference<Throwable> failure;
        private ClientCallStreamObserver<IngestStreamRequest> requests;
        private int next;

        PacedStream(List<IngestStreamRequest> chunks, CountDownLatch done, AtomicReference<Throwable> failure) {
            this.chunks = chunks;
            this.done = done;
            this.failure = failure;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<IngestStreamRequest> stream) {
            requests = stream;
            stream.setOnReadyHandler(this::send);
        }

        private synchronized void send() {
            while (requests.isReady() && next < chunks.size()) {
                requests.onNext(chunks.get(next++));
            }
            if (next == chunks.size()) {
                next++;
                requests.onCompleted();
            }
        }

        @Override
        public void onNext(IngestStreamResponse response) {
            if (response.getRejected() > 0) {
                failure.set(new IllegalStateException("rejected " + response.getResults(0)));
            }
        }

        @Override
        public void onError(Throwable error) {
            failure.set(error);
            done.countDown();
        }

        @Override
        public void onCompleted() {
            done.countDown();
        }
    }

    private Timed unary(ManagedChannel channel, List<List<Event>> batches) throws Exception {
        IngestServiceGrpc.IngestServiceFutureStub stub = IngestServiceGrpc.newFutureStub(channel);
        int concurrency = 64;
        Semaphore slots = new Semaphore(concurrency);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<IngestEventRequest> requests = new ArrayList<>();
        batches.forEach(batch -> batch.forEach(event -> requests.add(IngestEventRequest.newBuilder().setEvent(event).build())));
        Timed.Stopwatch clock = Timed.start();
        for (IngestEventRequest request : requests) {
            slots.acquire();
            Futures.addCallback(stub.ingestEvent(request), new FutureCallback<IngestEventResponse>() {
                @Override
                public void onSuccess(IngestEventResponse response) {
                    slots.release();
                }

                @Override
                public void onFailure(Throwable error) {
                    failure.set(error);
                    slots.release();
                }
            }, MoreExecutors.directExecutor());
        }
        slots.acquire(concurrency);
        Timed timed = clock.stop();
        if (failure.get() != null) {
            throw new IllegalStateException(failure.get());
        }
        return timed;
    }

    /**
     * Unary latency at a fixed arrival rate (open loop): call i is due at start + i / rate, and its
     * latency counts from when it was due, so a stall also charges the calls queued behind it.
     */
    private void pacedUnary(boolean storeOnly) throws Exception {
        int rate = Integer.parseInt(options.getOrDefault("unary-rate", "1000"));
        int seconds = Integer.parseInt(options.getOrDefault("unary-seconds", "10"));
        int warmUpCalls = rate * 5;
        int calls = rate * seconds;
        Path directory = Files.createTempDirectory(scratch, "paced");
        RocksDbEventStore store = RocksDbEventStore.open(EmbeddedStoreOptions.defaults(directory));
        Telemetry telemetry = Telemetry.create("pql-ingest-bench", new TelemetryConfig());
        IngestModule module = new IngestModule(new IngestSettings(), store, telemetry, Clock.systemUTC());
        ManagedGrpcServer server = new ManagedGrpcServer("ingest-bench", new GrpcServerConfig().setPort(0),
                module.services(), List.of(telemetry.serverInterceptor()));
        server.start();
        ManagedChannel channel = clientChannel(server.port());
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
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.stop();
            module.close();
            store.close();
            telemetry.close();
            delete(directory);
        }
    }

    // --- workload ---

    /**
     * Product actions (the bulk of real traffic) in batches of {@code batchSize}: each batch touches
     * 50 accounts of 100,000, ten events each, as a client buffering its active accounts would.
     */
    private List<List<Event>> workload(String tag, int totalEvents) {
        SplittableRandom random = new SplittableRandom(tag.hashCode());
        long nowSeconds = Instant.now().getEpochSecond();
        int perAccount = Math.max(1, batchSize / 50);
        List<List<Event>> batches = new ArrayList<>();
        long eventNumber = 0;
        for (int produced = 0; produced < totalEvents; produced += batchSize) {
            List<Event> batch = new ArrayList<>(batchSize);
            while (batch.size() < batchSize) {
                String account = "acct-" + random.nextInt(100_000);
                for (int i = 0; i < perAccount && batch.size() < batchSize; i++) {
                    batch.add(SyntheticProductActions.event(random, tag + "-" + eventNumber++, account, nowSeconds));
                }
            }
            batches.add(batch);
        }
        return batches;
    }

    /**
     * Wall time, process CPU time and its split by thread, read from /proc/self/task (every
     * thread: Java ones, the JVM's GC and JIT threads, RocksDB's native flush/compaction threads).
     */
    private record Timed(double seconds, long cpuNanos, Map<String, Long> cpuByGroup, long gcMillis,
            Map<String, Long> allocatedByGroup) {
        static Stopwatch start() {
            return new Stopwatch(System.nanoTime(), processCpuNanos(), ThreadTicks.snapshot(), collectorMillis(), allocated());
        }

        double bytesPerEvent(String group, int events) {
            return allocatedByGroup.getOrDefault(group, 0L) / (double) events;
        }

        double microsPerEvent(String group, int events) {
            return cpuByGroup.getOrDefault(group, 0L) / 1e3 / events;
        }

        record Stopwatch(long wallStart, long cpuStart, Map<Integer, ThreadTicks> threadsStart, long gcStart,
                Map<Long, ThreadTicks> allocatedStart) {
            Timed stop() {
                double seconds = (System.nanoTime() - wallStart) / 1e9;
                long cpu = processCpuNanos() - cpuStart;
                Map<String, Long> byGroup = new LinkedHashMap<>();
                for (Map.Entry<Integer, ThreadTicks> thread : ThreadTicks.snapshot().entrySet()) {
                    ThreadTicks before = threadsStart.get(thread.getKey());
                    long ticks = thread.getValue().ticks() - (before == null ? 0 : before.ticks());
                    byGroup.merge(ThreadTicks.group(thread.getValue().name()), ticks * ThreadTicks.NANOS_PER_TICK, Long::sum);
                }
                Map<String, Long> allocatedByGroup = new LinkedHashMap<>();
                for (Map.Entry<Long, ThreadTicks> thread : allocated().entrySet()) {
                    ThreadTicks before = allocatedStart.get(thread.getKey());
                    allocatedByGroup.merge(ThreadTicks.group(thread.getValue().name()),
                            thread.getValue().ticks() - (before == null ? 0 : before.ticks()), Long::sum);
                }
                return new Timed(seconds, cpu, byGroup, collectorMillis() - gcStart, allocatedByGroup);
            }
        }
    }

    /** CPU ticks (user + system) of one thread of this process, from /proc (Linux). */
    private record ThreadTicks(String name, long ticks) {
        static final long NANOS_PER_TICK = ThreadUsage.NANOS_PER_TICK;
        static final List<String> GROUPS = List.of("load generator", "ingest server", "store sequencer + committer",
                "RocksDB background", "GC", "JIT", "other JVM");

        static String group(String name) {
            // the main thread: "java" to the kernel, "main" to Java, named after this class under exec:java
            // (the kernel keeps 15 characters of a name)
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

        static Map<Integer, ThreadTicks> snapshot() {
            Map<Integer, ThreadTicks> threads = new java.util.HashMap<>();
            ThreadUsage.cpuTicks().forEach((id, ticks) -> threads.put(id, new ThreadTicks(ticks.name(), ticks.amount())));
            return threads;
        }
    }

    /** Bytes allocated so far by each live Java thread (reusing ThreadTicks: name, count). */
    private static Map<Long, ThreadTicks> allocated() {
        Map<Long, ThreadTicks> allocated = new java.util.HashMap<>();
        ThreadUsage.allocatedBytes().forEach((id, bytes) -> allocated.put(id, new ThreadTicks(bytes.name(), bytes.amount())));
        return allocated;
    }

    private static long collectorMillis() {
        return ThreadUsage.collectorMillis();
    }

    private ManagedChannel clientChannel(int port) {
        return io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder.forAddress("127.0.0.1", port)
                .usePlaintext()
                .eventLoopGroup(clientLoop)
                .channelType(io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel.class)
                .executor(clientExecutor)
                .maxInboundMessageSize(16 << 20)
                .build();
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        AtomicInteger number = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
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

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static int count(List<List<Event>> batches) {
        return batches.stream().mapToInt(List::size).sum();
    }

    private static Timestamp now() {
        Instant now = Instant.now();
        return Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build();
    }

    private static double millis(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static void delete(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
