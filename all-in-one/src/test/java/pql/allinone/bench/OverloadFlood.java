package pql.allinone.bench;

import com.google.protobuf.Any;
import com.google.rpc.RetryInfo;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import pql.gateway.support.RunningGateway;
import pql.load.IngestWorkload;
import pql.load.LoopbackClient;
import pql.v1.IngestBatchResponse;
import pql.v1.IngestServiceGrpc;

/**
 * The ingest clients of {@link OverloadBenchmark}: one connection per client, {@code inFlight}
 * threads per connection, IngestBatch after IngestBatch; a refused batch is sent again after its
 * RetryInfo hint. Runs either in the benchmark's JVM ({@link #inThisJvm}) or in a child JVM of
 * its own ({@link #inChildProcess}), so the load generator's CPU, allocation and GC pauses do not
 * land in the measured process; the child is told when to measure and stop on its stdin and
 * answers with one line of figures on its stdout.
 */
final class OverloadFlood {

    /** What the flood saw while measuring. */
    record Result(long[] sortedLatencyNanos, long acceptedEvents, long refusals, long refusalsWithHint, long medianHintMillis,
            long otherFailures, Duration childCpu) {
        // childCpu: the child's CPU while measuring (zero when the flood ran in this JVM)

        String toLine() {
            StringBuilder line = new StringBuilder("RESULT ").append(acceptedEvents).append(' ').append(refusals).append(' ')
                    .append(refusalsWithHint).append(' ').append(medianHintMillis).append(' ').append(otherFailures);
            for (long latency : sortedLatencyNanos) {
                line.append(' ').append(latency);
            }
            return line.toString();
        }

        static Result fromLine(String line, Duration childCpu) {
            long[] numbers = Arrays.stream(line.substring("RESULT ".length()).trim().split(" ")).mapToLong(Long::parseLong).toArray();
            return new Result(Arrays.copyOfRange(numbers, 5, numbers.length), numbers[0], numbers[1], numbers[2], numbers[3], numbers[4],
                    childCpu);
        }
    }

    /** A flood under way. */
    interface Running {
        void startMeasuring() throws IOException;

        Result stop() throws Exception;
    }

    private final int clients;
    private final int inFlight;
    private final int batchSize;

    OverloadFlood(int clients, int inFlight, int batchSize) {
        this.clients = clients;
        this.inFlight = inFlight;
        this.batchSize = batchSize;
    }

    /** The flood's threads in this JVM. */
    Running inThisJvm(int port, CallCredentials key) {
        Clients flood = new Clients(port, key);
        flood.start();
        return new Running() {
            @Override
            public void startMeasuring() {
                flood.measuring.set(true);
            }

            @Override
            public Result stop() throws InterruptedException {
                return flood.stop();
            }
        };
    }

    /** The flood in a child JVM on this JVM's class path ({@link #main}). */
    Running inChildProcess(int port, String key) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        // the child logs like its parent (bench.sh sets INFO through this property)
        String logging = System.getProperty("logback.configurationFile");
        if (logging != null) {
            command.add("-Dlogback.configurationFile=" + logging);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), OverloadFlood.class.getName(),
                String.valueOf(port), key, String.valueOf(clients), String.valueOf(inFlight), String.valueOf(batchSize)));
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        PrintStream toChild = new PrintStream(child.getOutputStream(), true, StandardCharsets.UTF_8);
        BufferedReader fromChild = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        return new Running() {
            private Duration cpuAtStart = Duration.ZERO;

            @Override
            public void startMeasuring() {
                cpuAtStart = child.info().totalCpuDuration().orElse(Duration.ZERO);
                toChild.println("measure");
            }

            @Override
            public Result stop() throws Exception {
                Duration cpu = child.info().totalCpuDuration().orElse(Duration.ZERO).minus(cpuAtStart);
                toChild.println("stop");
                String line;
                while ((line = fromChild.readLine()) != null && !line.startsWith("RESULT ")) {
                    System.out.println("flood: " + line);
                }
                child.waitFor(60, TimeUnit.SECONDS);
                child.destroy();
                if (line == null) {
                    throw new IllegalStateException("the flood's process ended without a result, exit " + child.exitValue());
                }
                return Result.fromLine(line, cpu);
            }
        };
    }

    /**
     * The child's side: args port, key, clients, in-flight, batch. Floods at once; "measure" on
     * stdin starts counting, "stop" ends and prints the result line.
     */
    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        OverloadFlood flood = new OverloadFlood(Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
        Running running = flood.inThisJvm(Integer.parseInt(args[0]), RunningGateway.bearer(args[1]));
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String command;
        while ((command = commands.readLine()) != null && !command.equals("stop")) {
            if (command.equals("measure")) {
                running.startMeasuring();
            }
        }
        System.out.println(running.stop().toLine());
        System.out.flush();
        System.exit(0);
    }

    /** The client threads and what they counted. */
    private final class Clients {
        private final int port;
        private final CallCredentials key;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicBoolean measuring = new AtomicBoolean();
        private final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<Long> hints = new ConcurrentLinkedQueue<>();
        private final AtomicLong acceptedEvents = new AtomicLong();
        private final AtomicLong refusals = new AtomicLong();
        private final AtomicLong refusalsWithHint = new AtomicLong();
        private final AtomicLong otherFailures = new AtomicLong();
        private final List<Thread> threads = new ArrayList<>();
        private final List<ManagedChannel> channels = new ArrayList<>();
        private final LoopbackClient client = new LoopbackClient();

        Clients(int port, CallCredentials key) {
            this.port = port;
            this.key = key;
        }

        void start() {
            for (int c = 0; c < clients; c++) {
                ManagedChannel channel = client.channel(port);
                channels.add(channel);
                for (int lane = 0; lane < inFlight; lane++) {
                    int number = c * inFlight + lane;
                    Thread thread = new Thread(() -> client(channel, number), "bench-client-flood-" + number);
                    thread.setDaemon(true);
                    threads.add(thread);
                    thread.start();
                }
            }
        }

        Result stop() throws InterruptedException {
            measuring.set(false);
            running.set(false);
            for (Thread thread : threads) {
                thread.join(120_000);
            }
            channels.forEach(ManagedChannel::shutdownNow);
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            long[] sortedHints = hints.stream().mapToLong(Long::longValue).sorted().toArray();
            return new Result(sorted, acceptedEvents.get(), refusals.get(), refusalsWithHint.get(),
                    sortedHints.length == 0 ? 0 : sortedHints[sortedHints.length / 2], otherFailures.get(), Duration.ZERO);
        }

        /** One call in flight on a client's connection, batch after batch. */
        private void client(ManagedChannel channel, int number) {
            IngestServiceGrpc.IngestServiceBlockingStub ingest = IngestServiceGrpc.newBlockingStub(channel).withCallCredentials(key);
            IngestWorkload workload = new IngestWorkload("flood-" + number + "-" + System.nanoTime(), Integer.MAX_VALUE / 2, batchSize, 10);
            int batch = 0;
            try {
                while (running.get()) {
                    var request = workload.batchRequest(batch);
                    while (running.get()) {
                        long sent = System.nanoTime();
                        try {
                            IngestBatchResponse response = ingest.withDeadlineAfter(120, TimeUnit.SECONDS).ingestBatch(request);
                            if (measuring.get()) {
                                latencies.add(System.nanoTime() - sent);
                                acceptedEvents.addAndGet(response.getAccepted());
                            }
                            break;
                        } catch (StatusRuntimeException e) {
                            if (e.getStatus().getCode() != Status.Code.RESOURCE_EXHAUSTED) {
                                if (measuring.get()) {
                                    otherFailures.incrementAndGet();
                                }
                                Thread.sleep(100);
                                continue;
                            }
                            long hint = retryDelayMillis(e);
                            if (measuring.get()) {
                                refusals.incrementAndGet();
                                if (hint >= 0) {
                                    refusalsWithHint.incrementAndGet();
                                    hints.add(hint);
                                }
                            }
                            if (hint > 0) {
                                Thread.sleep(hint);
                            }
                        }
                    }
                    batch++;
                }
            } catch (InterruptedException stop) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static long retryDelayMillis(StatusRuntimeException e) {
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        if (status == null) {
            return -1;
        }
        for (Any detail : status.getDetailsList()) {
            if (detail.is(RetryInfo.class)) {
                try {
                    var delay = detail.unpack(RetryInfo.class).getRetryDelay();
                    return delay.getSeconds() * 1000 + delay.getNanos() / 1_000_000;
                } catch (com.google.protobuf.InvalidProtocolBufferException unreadable) {
                    return -1;
                }
            }
        }
        return -1;
    }
}
