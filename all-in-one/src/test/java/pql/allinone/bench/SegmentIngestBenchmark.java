package pql.allinone.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import pql.allinone.support.RunningAllInOne;
import pql.load.BenchOptions;
import pql.load.CallsInFlight;
import pql.load.IngestWorkload;
import pql.load.LoopbackClient;
import pql.load.Medians;
import pql.load.ScratchDirectories;
import pql.load.ThreadCpu;
import pql.load.ThreadCpu.Usage;
import pql.v1.Event;

/**
 * Issue #17's target: events/s through the Segment-compatible {@code POST /v1/batch} against
 * IngestBatch over gRPC, both through the gateway of the same all-in-one (scoring and forecast idle,
 * as in {@link GatewayIngestBenchmark}), the same events, the same batch size and calls in flight, in
 * the same run, alternating. Each /v1/batch body is the JSON a Segment library would send for the
 * batch's events (track messages with messageId, timestamp, userId, context.groupId, properties),
 * built by the load generator while the clock runs, as IngestBatch's requests are. Every answer is
 * checked: IngestBatch's accepted counts, /v1/batch's 200 {"success": true} and the gateway's
 * count of accepted Segment messages must each cover every event.
 *
 * <pre>
 * ./mvnw -o -q -B -pl all-in-one -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -Xmx2g -cp all-in-one/target/test-classes:all-in-one/target/classes:$(cat /tmp/cp.txt) \
 *     pql.allinone.bench.SegmentIngestBenchmark --events 200000 --rounds 3 | grep -v '"POST /v1/batch"'
 * </pre>
 *
 * Options: --events N per measurement (200000); --batch events per batch (500: a Segment batch of
 * 500 such track messages is about 105 KB, under the 500 KB limit); --in-flight requests in flight (8);
 * --events-per-account (10); --rounds (3, after a warm-up round); --dir (target/bench-data).
 */
public final class SegmentIngestBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path scratch;
    private final int events;
    private final int batchSize;
    private final int inFlight;
    private final int perAccount;
    private final int rounds;
    private final LoopbackClient client = new LoopbackClient();
    private final ExecutorService httpExecutor = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "bench-client-http-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });
    private static final AtomicInteger THREADS = new AtomicInteger();

    private SegmentIngestBenchmark(BenchOptions options) throws Exception {
        this.scratch = Files.createDirectories(Path.of(options.text("dir", "target/bench-data")).toAbsolutePath());
        this.events = options.integer("events", 200000);
        this.batchSize = options.integer("batch", 500);
        this.inFlight = options.integer("in-flight", 8);
        this.perAccount = options.integer("events-per-account", 10);
        this.rounds = options.integer("rounds", 3);
    }

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        new SegmentIngestBenchmark(BenchOptions.parse(args)).run();
        System.exit(0);
    }

    private record Measured(double rate, Usage usage, double load) {
    }

    private void run() throws Exception {
        System.out.printf(Locale.ROOT, "segment ingest: %,d events per measurement, batches of %d (%d events per account), %d requests "
                + "in flight, %d rounds + warm-up, %d cores, heap %d MiB, load %.2f%n", events, batchSize, perAccount, inFlight, rounds,
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, ThreadCpu.loadAverage());
        Map<String, List<Measured>> results = new LinkedHashMap<>();
        for (int round = 0; round <= rounds; round++) {
            for (String target : List.of("grpc-batch", "segment-batch")) {
                Measured measured = measure(target, round);
                System.out.printf(Locale.ROOT, "%s round %d %-14s %,10.0f events/s %7.2f us CPU/event (server side %.2f) %5.2f cores "
                        + "(load %.2f)%n", round == 0 ? "warm-up" : "       ", round, target, measured.rate(),
                        measured.usage().cpuMicrosPerUnit(events), serverSide(measured), measured.usage().cores(), measured.load());
                if (round > 0) {
                    results.computeIfAbsent(target, k -> new ArrayList<>()).add(measured);
                }
            }
        }
        List<Measured> grpc = results.get("grpc-batch");
        List<Measured> segment = results.get("segment-batch");
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < grpc.size(); i++) {
            ratios.add(segment.get(i).rate() / grpc.get(i).rate());
        }
        System.out.println();
        System.out.println("| path | median events/s | per round (load) | x IngestBatch, same round (median) | CPU us/event, all "
                + "| server side (all but the load generator) | load generator |");
        System.out.println("|---|---:|---|---:|---:|---:|---:|");
        for (Map.Entry<String, List<Measured>> entry : results.entrySet()) {
            List<Measured> runs = entry.getValue();
            System.out.printf(Locale.ROOT, "| %s | %,.0f | %s | %s | %.2f | %.2f | %.2f |%n", entry.getKey(),
                    Medians.of(runs.stream().map(Measured::rate).toList()),
                    String.join(", ", runs.stream().map(m -> String.format(Locale.ROOT, "%,.0f (%.1f)", m.rate(), m.load())).toList()),
                    entry.getKey().startsWith("segment") ? String.format(Locale.ROOT, "%.2f", Medians.of(ratios)) : "",
                    Medians.of(runs.stream().map(m -> m.usage().cpuMicrosPerUnit(events)).toList()),
                    Medians.of(runs.stream().map(this::serverSide).toList()),
                    Medians.of(runs.stream().map(m -> m.usage().cpuMicrosPerUnit(GatewayThreadGroups.LOAD_GENERATOR, events)).toList()));
        }
    }

    private double serverSide(Measured measured) {
        return measured.usage().cpuMicrosPerUnit(events) - measured.usage().cpuMicrosPerUnit(GatewayThreadGroups.LOAD_GENERATOR, events);
    }

    private Measured measure(String target, int round) throws Exception {
        IngestWorkload workload = new IngestWorkload(target + round, events, batchSize, perAccount);
        Path directory = Files.createTempDirectory(scratch, target);
        try (RunningAllInOne allInOne = new RunningAllInOne(new IngestTargets.IngestOnlySuite(), directory, Map.of(
                "sampleData.loadOnFirstStart", "false", "proxy.healthPeriodSeconds", "5"))) {
            ThreadCpu.Start clock = ThreadCpu.start();
            if (target.startsWith("grpc")) {
                try (LoopbackClient.Connection connection = client.connect(allInOne.app().gateway().grpcServer().port())) {
                    long accepted = new IngestLoad(connection.channel(), pql.gateway.support.RunningGateway.bearer(allInOne.localKey()))
                            .batches(workload, inFlight);
                    if (accepted != events) {
                        throw new IllegalStateException("IngestBatch: " + accepted + " of " + events + " accepted");
                    }
                }
            } else {
                segmentBatches(allInOne, workload);
            }
            Usage usage = clock.stop(GatewayThreadGroups::group);
            long stored = target.startsWith("grpc") ? events : accepted(allInOne);
            if (stored != events) {
                throw new IllegalStateException(target + ": " + stored + " of " + events + " events accepted");
            }
            return new Measured(events / usage.seconds(), usage, ThreadCpu.loadAverage());
        } finally {
            ScratchDirectories.delete(directory);
        }
    }

    /** The gateway's count of Segment messages ingest-service answered ACCEPTED. */
    private static long accepted(RunningAllInOne allInOne) throws Exception {
        HttpResponse<String> metrics = allInOne.admin("GET", "/metrics", allInOne.localKey());
        return JSON.readTree(metrics.body()).path("counters").path("pql.segment.messages.accepted").path("count").asLong();
    }

    private void segmentBatches(RunningAllInOne allInOne, IngestWorkload workload) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().executor(httpExecutor).connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1).build();
        URI uri = allInOne.http("/v1/batch");
        String authorization = "Bearer " + allInOne.localKey();
        AtomicLong failures = new AtomicLong();
        Throwable failure = CallsInFlight.run(workload.batches(), inFlight, b -> CompletableFuture
                .supplyAsync(() -> segmentBody(workload.batch(b)), httpExecutor)
                .thenCompose(body -> http.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json").header("Authorization", authorization)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString()))
                .thenAccept(response -> {
                    if (response.statusCode() != 200 || !response.body().contains("\"success\":true")) {
                        failures.incrementAndGet();
                        throw new IllegalStateException("/v1/batch answered " + response.statusCode() + ": " + response.body());
                    }
                }));
        if (failure != null) {
            throw new IllegalStateException("/v1/batch failed", failure);
        }
    }

    /** The batch as a Segment library sends it: track messages, the account in context.groupId. */
    public static byte[] segmentBody(List<Event> batch) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode messages = body.putArray("batch");
        for (Event event : batch) {
            ObjectNode message = messages.addObject();
            message.put("type", "track");
            message.put("messageId", event.getEventId());
            message.put("event", event.getProductAction().getAction());
            message.put("userId", event.getProductAction().getUserId());
            message.put("timestamp", Instant.ofEpochSecond(event.getOccurredAt().getSeconds(), event.getOccurredAt().getNanos()).toString());
            message.putObject("context").put("groupId", event.getAccountId());
            ObjectNode properties = message.putObject("properties");
            event.getProductAction().getPropertiesMap().forEach(properties::put);
            if (event.getProductAction().hasQuantity()) {
                properties.put("quantity", event.getProductAction().getQuantity());
            }
        }
        body.put("sentAt", Instant.now().toString());
        try {
            return JSON.writeValueAsBytes(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
