package pql.cli;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.Timestamp;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import pql.v1.Event;
import pql.v1.IngestBatchRequest;
import pql.v1.IngestBatchResponse;
import pql.v1.IngestEventRequest;
import pql.v1.IngestEventResponse;
import pql.v1.ProductAction;

/**
 * The load of {@code pql bench ingest}: synthetic product actions (unique ids) sent through the
 * gateway as streams, batches or single events, each answer checked. Events come in runs of
 * {@code eventsPerAccount} for one account, as a client buffering its active accounts sends them;
 * a run of 1 makes every event of a chunk its own account stream in the store (its worst case).
 * Requests are built before the clock starts; this process's CPU time is reported per event, so a
 * reader can tell the client's share of a shared machine.
 */
final class IngestBench {

    private static final String[] ACTIONS = {"report_created", "invoice_submitted", "message_sent", "user_invited",
        "dashboard_viewed", "integration_connected", "login", "export_downloaded"};

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
                events.add(Event.newBuilder()
                        .setEventId("bench-" + run + "-" + nextEvent++)
                        .setAccountId(account)
                        .setOccurredAt(Timestamp.newBuilder().setSeconds(occurredAt - random.nextInt(7_776_000)))
                        .setProductAction(ProductAction.newBuilder()
                                .setUserId("user-" + random.nextInt(8))
                                .setAction(ACTIONS[random.nextInt(ACTIONS.length)])
                                .setQuantity(1 + random.nextInt(3))
                                .putProperties("plan", "trial")
                                .putProperties("client", random.nextBoolean() ? "web" : "ios"))
                        .build());
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
        Semaphore slots = new Semaphore(inFlight);
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        long cpu = processCpuNanos();
        long started = System.nanoTime();
        for (IngestBatchRequest request : requests) {
            slots.acquire();
            if (failure.get() != null) {
                break;
            }
            long sent = System.nanoTime();
            Futures.addCallback(client.ingestAsync().ingestBatch(request), new FutureCallback<IngestBatchResponse>() {
                @Override
                public void onSuccess(IngestBatchResponse response) {
                    latencies.add(System.nanoTime() - sent);
                    acknowledged.addAndGet(response.getAccepted() + response.getDuplicates());
                    rejected.addAndGet(response.getRejected());
                    slots.release();
                }

                @Override
                public void onFailure(Throwable error) {
                    failure.set(error);
                    slots.release();
                }
            }, MoreExecutors.directExecutor());
        }
        slots.acquire(inFlight);
        double seconds = (System.nanoTime() - started) / 1e9;
        long cpuNanos = processCpuNanos() - cpu;
        if (failure.get() != null) {
            throw io.grpc.Status.fromThrowable(failure.get()).asRuntimeException();
        }
        return new Result(acknowledged.get(), seconds, cpuNanos / 1e3 / events.size(), sorted(latencies), rejected.get(), List.of());
    }

    /**
     * IngestEvent at {@code rate} calls per second, open loop: call i is due at start + i / rate
     * and its latency counts from when it was due, so a stall also charges the calls queued behind
     * it. The first {@code warmUpCalls} are sent but not counted.
     */
    Result paced(List<Event> events, int rate, int warmUpCalls) throws InterruptedException {
        int measured = events.size() - warmUpCalls;
        long[] latencies = new long[measured];
        AtomicInteger failures = new AtomicInteger();
        AtomicLong acknowledged = new AtomicLong();
        CountDownLatch done = new CountDownLatch(events.size());
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long cpu = 0;
        long started = System.nanoTime();
        for (int i = 0; i < events.size(); i++) {
            long due = started + i * interval;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            if (i == warmUpCalls) {
                cpu = processCpuNanos();
            }
            int index = i - warmUpCalls;
            Futures.addCallback(client.ingestAsync().ingestEvent(IngestEventRequest.newBuilder().setEvent(events.get(i)).build()),
                    new FutureCallback<IngestEventResponse>() {
                        @Override
                        public void onSuccess(IngestEventResponse response) {
                            if (index >= 0) {
                                latencies[index] = System.nanoTime() - due;
                                acknowledged.incrementAndGet();
                            }
                            done.countDown();
                        }

                        @Override
                        public void onFailure(Throwable error) {
                            failures.incrementAndGet();
                            done.countDown();
                        }
                    }, MoreExecutors.directExecutor());
        }
        if (!done.await(2, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the paced calls did not all finish within two minutes");
        }
        double seconds = (System.nanoTime() - started) / 1e9 - warmUpCalls / (double) rate;
        long cpuNanos = processCpuNanos() - cpu;
        Arrays.sort(latencies);
        return new Result(acknowledged.get(), seconds, cpuNanos / 1e3 / Math.max(1, measured), latencies, failures.get(), List.of());
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
