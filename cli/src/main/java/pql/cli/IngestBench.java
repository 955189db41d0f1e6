package pql.cli;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import pql.load.CallsInFlight;
import pql.load.GrpcFutures;
import pql.load.PacedCalls;
import pql.load.SyntheticProductActions;
import pql.v1.Event;
import pql.v1.IngestBatchRequest;
import pql.v1.IngestEventRequest;

/**
 * The load of {@code pql bench ingest}: synthetic product actions (unique ids) sent through the
 * gateway as streams, batches or single events, each answer checked. Events come in runs of
 * {@code eventsPerAccount} for one account, as a client buffering its active accounts sends them;
 * a run of 1 makes every event of a chunk its own account stream in the store (its worst case).
 * Requests are built before the clock starts; this process's CPU time is reported per event, so a
 * reader can tell the client's share of a shared machine.
 */
final class IngestBench {

    /** What one measurement did. */
    record Result(long events, double seconds, double clientCpuMicrosPerEvent, long[] sortedLatencyNanos, long failures,
            List<String> errors) {

        double rate() {
            return events / seconds;
        }

        double millis(double quantile) {
            if (sortedLatencyNanos.length == 0) {
                return 0;
            }
            int index = (int) Math.ceil(quantile * sortedLatencyNanos.length) - 1;
            return sortedLatencyNanos[Math.max(0, Math.min(sortedLatencyNanos.length - 1, index))] / 1e6;
        }

        double maxMillis() {
            return sortedLatencyNanos.length == 0 ? 0 : sortedLatencyNanos[sortedLatencyNanos.length - 1] / 1e6;
        }
    }

    private final GatewayClient client;
    private final String run;
    private final int accounts;
    private final int eventsPerAccount;
    private final SplittableRandom random;
    private final long occurredAt = Instant.now().minusSeconds(60).getEpochSecond();
    private long nextEvent;

    /**
     * @param accounts         how many accounts the events are drawn from
     * @param eventsPerAccount consecutive events of one account
     */
    IngestBench(GatewayClient client, String run, int accounts, int eventsPerAccount) {
        this.client = client;
        this.run = run;
        this.accounts = Math.max(1, accounts);
        this.eventsPerAccount = Math.max(1, eventsPerAccount);
        this.random = new SplittableRandom(run.hashCode());
    }

    /** {@code count} new events, in runs per account. */
    List<Event> events(int count) {
        List<Event> events = new ArrayList<>(count);
        while (events.size() < count) {
            String account = "bench-" + run + "-acct-" + random.nextInt(accounts);
            for (int i = 0; i < eventsPerAccount && events.size() < count; i++) {
                events.add(SyntheticProductActions.event(random, "bench-" + run + "-" + nextEvent++, account, occurredAt));
            }
        }
        return events;
    }

    /**
     * IngestStream: the events dealt over {@code streams} calls (whole runs of an account stay in
     * one stream), each sending chunks of {@code chunk} with at most {@code inFlight} unanswered.
     * Latencies are per chunk, from sending to its durable answer.
     */
    Result stream(List<Event> events, int streams, int chunk, int inFlight) throws Exception {
        List<List<Event>> perStream = new ArrayList<>();
        for (int s = 0; s < streams; s++) {
            perStream.add(new ArrayList<>());
        }
        for (int start = 0; start < events.size(); start += eventsPerAccount) {
            perStream.get(start / eventsPerAccount % streams).addAll(events.subList(start, Math.min(events.size(), start + eventsPerAccount)));
        }
        List<IngestStreamer> streamers = new ArrayList<>();
        ExecutorService senders = Executors.newFixedThreadPool(streams);
        try {
            long cpu = processCpuNanos();
            long started = System.nanoTime();
            List<Future<?>> running = new ArrayList<>();
            for (List<Event> mine : perStream) {
                IngestStreamer streamer = new IngestStreamer(client.ingestStreaming(), chunk, inFlight);
                streamers.add(streamer);
                running.add(senders.submit(() -> {
                    streamer.run(reader(mine));
                    return null;
                }));
            }
            for (Future<?> each : running) {
                each.get();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            long cpuNanos = processCpuNanos() - cpu;
            long acknowledged = 0;
            long rejected = 0;
            List<Long> latencies = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            for (IngestStreamer streamer : streamers) {
                acknowledged += streamer.accepted.get() + streamer.duplicates.get();
                rejected += streamer.rejected.get();
                latencies.addAll(streamer.chunkLatencies);
                errors.addAll(streamer.reasons().keySet());
            }
            return new Result(acknowledged, seconds, cpuNanos / 1e3 / events.size(), sorted(latencies), rejected, errors);
        } finally {
            senders.shutdownNow();
        }
    }

    /** IngestBatch calls of {@code size} events, {@code inFlight} at a time; latency per call. */
    Result batch(List<Event> events, int size, int inFlight) throws Exception {
        List<IngestBatchRequest> requests = new ArrayList<>();
        for (int start = 0; start < events.size(); start += size) {
            requests.add(IngestBatchRequest.newBuilder().addAllEvents(events.subList(start, Math.min(events.size(), start + size))).build());
        }
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        long cpu = processCpuNanos();
        long started = System.nanoTime();
        Throwable failure = CallsInFlight.run(requests.size(), inFlight, i -> {
            long sent = System.nanoTime();
            return GrpcFutures.toCompletable(client.ingestAsync().ingestBatch(requests.get(i))).thenAccept(response -> {
                latencies.add(System.nanoTime() - sent);
                acknowledged.addAndGet(response.getAccepted() + response.getDuplicates());
                rejected.addAndGet(response.getRejected());
            });
        });
        double seconds = (System.nanoTime() - started) / 1e9;
        long cpuNanos = processCpuNanos() - cpu;
        if (failure != null) {
            throw io.grpc.Status.fromThrowable(failure).asRuntimeException();
        }
        return new Result(acknowledged.get(), seconds, cpuNanos / 1e3 / events.size(), sorted(latencies), rejected.get(), List.of());
    }

    /** IngestEvent at {@code rate} calls per second, open loop ({@link PacedCalls}); the first {@code warmUpCalls} not counted. */
    Result paced(List<Event> events, int rate, int warmUpCalls) throws InterruptedException {
        PacedCalls.Outcome outcome = PacedCalls.run(events.size(), rate, warmUpCalls, i -> GrpcFutures.toCompletable(
                client.ingestAsync().ingestEvent(IngestEventRequest.newBuilder().setEvent(events.get(i)).build())));
        return new Result(outcome.sortedLatencyNanos().length, outcome.measuredSeconds(), outcome.cpuMicrosPerCall(),
                outcome.sortedLatencyNanos(), outcome.failures(), List.of());
    }

    private static EventReader reader(List<Event> events) {
        return new EventReader() {
            private int next;

            @Override
            public EventLine next() {
                return next < events.size() ? EventLine.ok(next + 1, events.get(next++)) : null;
            }

            @Override
            public void close() {
            }
        };
    }

    private static long[] sorted(List<Long> latencies) {
        long[] sorted = latencies.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return sorted;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    static String describe(Result result) {
        return String.format(Locale.ROOT, "%,d events in %.2f s = %,.0f events/s; latency ms p50 %.2f, p90 %.2f, p99 %.2f, max %.2f "
                + "(%,d samples); client CPU %.2f us/event", result.events(), result.seconds(), result.rate(), result.millis(0.50),
                result.millis(0.90), result.millis(0.99), result.maxMillis(), result.sortedLatencyNanos().length,
                result.clientCpuMicrosPerEvent());
    }
}
