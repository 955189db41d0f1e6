package pql.allinone.bench;

import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import pql.allinone.SuiteModules;
import pql.allinone.support.RunningAllInOne;
import pql.gateway.support.RunningGateway;
import pql.load.BenchOptions;
import pql.load.BenchResult;
import pql.load.GrpcFutures;
import pql.load.IngestWorkload;
import pql.load.LoopbackClient;
import pql.load.PacedCalls;
import pql.load.ScratchDirectories;
import pql.load.ThreadCpu;
import pql.v1.GetAccountScoreRequest;
import pql.v1.IngestServiceGrpc;
import pql.v1.ScoringServiceGrpc;

/**
 * Issue #13, finding 7: the whole all-in-one (real scoring projecting what is ingested) flooded
 * through the gateway by {@code --clients} concurrent ingest clients, each on its own connection
 * sending IngestBatch after IngestBatch (closed loop, {@code --in-flight} calls in flight each, so
 * 50 x 4 x 500 events = the whole default ingest budget), while score reads
 * (GetAccountScore, open loop at {@code --read-rate}/s on a connection and client threads of their
 * own) measure what the flood does to readers. The same reads with no ingest load first are the
 * same-run baseline.
 *
 * <p>A refused batch (RESOURCE_EXHAUSTED) waits the RetryInfo hint if there is one, then the
 * client sends the same batch again, as a well-behaved client does; without a hint it retries at
 * once. Reported: accepted-batch latency (sent to durable answer, the last attempt only),
 * refusals, score-read latency with and without the flood, CPU per accepted event.
 *
 * <pre>
 * ./mvnw -q -o -pl all-in-one -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -cp all-in-one/target/test-classes:all-in-one/target/classes:$(cat /tmp/cp.txt) \
 *     pql.allinone.bench.OverloadBenchmark --clients 50 --seconds 30
 * </pre>
 *
 * Options: --clients (50); --in-flight IngestBatch calls per client (4); --batch events per IngestBatch (500); --seconds of flood (30, after 5 s
 * of ramp-up not counted); --read-rate GetAccountScore calls/s (20); --baseline-seconds (15);
 * --read-warm-up calls at 2,000/s before the baseline, not measured (20,000); --read-via netty|inprocess; --flood-in jvm|process (the ingest clients in this JVM, or in a
 * child JVM of their own so their CPU, allocation and GC pauses stay out of the measured
 * process; the machine's cores are still shared); --dir (target/bench-data).
 *
 * <p>Besides its table it prints, for scripts/bench.sh, {@code RESULT reads.baseline.p99_ms},
 * {@code reads.flood.p50_ms | .p99_ms | .failures}, {@code accepted.events_per_s | .batch_p99_ms},
 * {@code refusals} and {@code cpu_us_per_accepted_event} (whole process).
 */
public final class OverloadBenchmark {

    private static final int SEEDED_ACCOUNTS = 200;

    private final int clients;
    private final int inFlight;
    private final int batchSize;
    private final int seconds;
    private final int readRate;
    private final int baselineSeconds;
    private final int readWarmUp;
    private final String readVia;
    /** "jvm": the ingest clients run in this JVM; "process": in a child JVM of their own. */
    private final String floodIn;
    private final Path scratch;
    /** The seeded accounts, read in turn. */
    private List<String> readAccounts = List.of();
    /** Why score reads failed, by status code (printed when any did). */
    private final Map<Status.Code, Integer> readFailures = new java.util.concurrent.ConcurrentHashMap<>();

    private OverloadBenchmark(BenchOptions options) throws Exception {
        this.clients = options.integer("clients", 50);
        this.inFlight = options.integer("in-flight", 4);
        this.batchSize = options.integer("batch", 500);
        this.seconds = options.integer("seconds", 30);
        this.readRate = options.integer("read-rate", 20);
        this.baselineSeconds = options.integer("baseline-seconds", 15);
        this.readWarmUp = options.integer("read-warm-up", 20_000);
        this.readVia = options.text("read-via", "netty");
        this.floodIn = options.text("flood-in", "jvm");
        this.scratch = Files.createDirectories(Path.of(options.text("dir", "target/bench-data")).toAbsolutePath());
    }

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        new OverloadBenchmark(BenchOptions.parse(args)).run();
        System.exit(0);
    }

    private void run() throws Exception {
        System.out.printf(Locale.ROOT, "overload: %d ingest clients x %d IngestBatch of %d in flight (flood in %s), %d s flood, "
                + "GetAccountScore at %d/s, %d cores, heap %d MiB, load %.2f%n", clients, inFlight, batchSize, floodIn, seconds, readRate,
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, ThreadCpu.loadAverage());
        System.out.println("JVM: " + pql.allinone.ReadsUnderLoad.ofThisJvm().describe());
        Path directory = Files.createTempDirectory(scratch, "overload");
        try (RunningAllInOne allInOne = new RunningAllInOne(new SuiteModules(), directory, Map.of("sampleData.loadOnFirstStart", "false"))) {
            int port = allInOne.app().gateway().grpcServer().port();
            CallCredentials key = RunningGateway.bearer(allInOne.localKey());
            LoopbackClient readers = new LoopbackClient();
            // "inprocess": the gateway's in-process twin (auth and proxy, no socket), to tell the
            // gateway's Netty side apart from the rest of a read's way
            ManagedChannel readChannel = readVia.equals("inprocess")
                    ? io.grpc.inprocess.InProcessChannelBuilder.forName(allInOne.app().gateway().grpcServer().inProcessName()).build()
                    : readers.channel(port);
            ScoringServiceGrpc.ScoringServiceFutureStub scores = ScoringServiceGrpc.newFutureStub(readChannel).withCallCredentials(key);
            seed(allInOne, key, scores);
            warmUp(scores);

            PacedCalls.Outcome baseline = reads(scores, baselineSeconds);
            print("score reads, no ingest load (baseline)", baseline);

            OverloadFlood floodClients = new OverloadFlood(clients, inFlight, batchSize);
            OverloadFlood.Running flood = floodIn.equals("process") ? floodClients.inChildProcess(port, allInOne.localKey())
                    : floodClients.inThisJvm(port, key);
            Thread.sleep(5_000);
            flood.startMeasuring();
            ThreadCpu.Start cpu = ThreadCpu.start();
            PacedCalls.Outcome loaded = reads(scores, seconds);
            ThreadCpu.Usage usage = cpu.stop(GatewayThreadGroups::group);
            OverloadFlood.Result result = flood.stop();

            print("score reads under the flood", loaded);
            if (!readFailures.isEmpty()) {
                System.out.println("score read failures by status: " + readFailures);
            }
            long[] sorted = result.sortedLatencyNanos();
            System.out.printf(Locale.ROOT, "accepted batches: %,d (%,d events, %,.0f events/s); latency p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                    sorted.length, result.acceptedEvents(), result.acceptedEvents() / usage.seconds(), quantile(sorted, 0.50),
                    quantile(sorted, 0.99), sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6);
            System.out.printf(Locale.ROOT, "refusals: %,d RESOURCE_EXHAUSTED (%,d with RetryInfo, hint p50 %d ms), %,d other failures%n",
                    result.refusals(), result.refusalsWithHint(), result.medianHintMillis(), result.otherFailures());
            System.out.printf(Locale.ROOT, "CPU: %.2f cores, %.2f us per accepted event (whole process, load generator %.2f)%n",
                    usage.cores(), usage.cpuMicrosPerUnit(Math.max(1, result.acceptedEvents())),
                    usage.cpuMicrosPerUnit(GatewayThreadGroups.LOAD_GENERATOR, Math.max(1, result.acceptedEvents())));
            if (floodIn.equals("process")) {
                System.out.printf(Locale.ROOT, "flood process: %.2f cores, %.2f us per accepted event%n",
                        result.childCpu().toNanos() / 1e9 / usage.seconds(),
                        result.childCpu().toNanos() / 1e3 / Math.max(1, result.acceptedEvents()));
            }
            System.out.println();
            System.out.println("| figure | value |");
            System.out.println("|---|---:|");
            row("score read p50 / p99 / max, no ingest (baseline)", baseline);
            row("score read p50 / p99 / max, under the flood", loaded);
            System.out.printf(Locale.ROOT, "| accepted-batch latency p50 / p99 / max | %.0f / %.0f / %.0f ms |%n", quantile(sorted, 0.50),
                    quantile(sorted, 0.99), sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6);
            System.out.printf(Locale.ROOT, "| accepted events/s | %,.0f |%n", result.acceptedEvents() / usage.seconds());
            System.out.printf(Locale.ROOT, "| refusals (RESOURCE_EXHAUSTED) / accepted batches | %,d / %,d |%n", result.refusals(), sorted.length);
            System.out.printf(Locale.ROOT, "| CPU per accepted event (process) | %.2f us |%n",
                    usage.cpuMicrosPerUnit(Math.max(1, result.acceptedEvents())));
            System.out.println();
            BenchResult.print("reads.baseline.p99_ms", baseline.millis(0.99));
            BenchResult.print("reads.flood.p50_ms", loaded.millis(0.50));
            BenchResult.print("reads.flood.p99_ms", loaded.millis(0.99));
            BenchResult.print("reads.flood.failures", loaded.failures());
            BenchResult.print("accepted.events_per_s", result.acceptedEvents() / usage.seconds());
            BenchResult.print("accepted.batch_p99_ms", quantile(sorted, 0.99));
            BenchResult.print("refusals", result.refusals());
            BenchResult.print("cpu_us_per_accepted_event", usage.cpuMicrosPerUnit(Math.max(1, result.acceptedEvents())));
            readChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        } finally {
            ScratchDirectories.delete(directory);
        }
    }

    /** Events for the accounts the reads ask for, then waits until scoring knows the last of them. */
    private void seed(RunningAllInOne allInOne, CallCredentials key, ScoringServiceGrpc.ScoringServiceFutureStub scores)
            throws Exception {
        IngestWorkload seed = new IngestWorkload("seed", SEEDED_ACCOUNTS * 5, SEEDED_ACCOUNTS * 5, 5);
        IngestServiceGrpc.newBlockingStub(allInOne.channel()).withCallCredentials(key)
                .ingestBatch(seed.batchRequest(0));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String account = seed.batch(0).get(seed.events() - 1).getAccountId();
        readAccounts = seed.batch(0).stream().map(e -> e.getAccountId()).distinct().toList();
        while (true) {
            try {
                scores.getAccountScore(GetAccountScoreRequest.newBuilder().setAccountId(account).build()).get(5, TimeUnit.SECONDS);
                return;
            } catch (Exception notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("scoring never knew the seeded accounts", notYet);
                }
                Thread.sleep(100);
            }
        }
    }

    /**
     * Score reads, not measured, until the JIT has compiled their path: at 20 reads/s a baseline of
     * seconds runs in the interpreter (p50 6.6 ms, against 0.9 ms once compiled), while the flood's
     * ramp-up compiles the ingest path, so without this the reads would be measured cold and the
     * ingest path warm. A server that has served reads for minutes is in the compiled state.
     */
    private void warmUp(ScoringServiceGrpc.ScoringServiceFutureStub scores) throws InterruptedException {
        if (readWarmUp > 0) {
            long start = System.nanoTime();
            reads(scores, readWarmUp, 2_000, readWarmUp);
            System.out.printf(Locale.ROOT, "read warm-up: %,d calls in %.1f s (not measured)%n", readWarmUp, (System.nanoTime() - start) / 1e9);
        }
    }

    private PacedCalls.Outcome reads(ScoringServiceGrpc.ScoringServiceFutureStub scores, int measuredSeconds) throws InterruptedException {
        int warmUp = readRate * 2;
        return reads(scores, warmUp + readRate * measuredSeconds, readRate, warmUp);
    }

    private PacedCalls.Outcome reads(ScoringServiceGrpc.ScoringServiceFutureStub scores, int calls, int rate, int warmUp)
            throws InterruptedException {
        return PacedCalls.run(calls, rate, warmUp, i -> GrpcFutures.toCompletable(
                scores.withDeadlineAfter(30, TimeUnit.SECONDS).getAccountScore(GetAccountScoreRequest.newBuilder()
                        .setAccountId(readAccounts.get(i % readAccounts.size())).build()))
                .whenComplete((score, error) -> {
                    if (error != null) {
                        readFailures.merge(Status.fromThrowable(error).getCode(), 1, Integer::sum);
                    }
                }));
    }

    private static void print(String what, PacedCalls.Outcome outcome) {
        System.out.printf(Locale.ROOT, "%s: %,d calls at %.1f/s, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms, %d failures%n", what,
                outcome.measuredCalls(), outcome.callsPerSecond(), outcome.millis(0.50), outcome.millis(0.90), outcome.millis(0.99),
                outcome.maxMillis(), outcome.failures());
    }

    private static void row(String what, PacedCalls.Outcome outcome) {
        System.out.printf(Locale.ROOT, "| %s | %.1f / %.1f / %.1f ms (%d failures) |%n", what, outcome.millis(0.50), outcome.millis(0.99),
                outcome.maxMillis(), outcome.failures());
    }

    private static double quantile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[(int) Math.min(sorted.length - 1L, Math.round(q * (sorted.length - 1)))] / 1e6;
    }
}
