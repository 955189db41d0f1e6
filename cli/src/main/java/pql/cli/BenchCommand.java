package pql.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import pql.v1.AccountScore;
import pql.v1.Event;
import pql.v1.ForecastDimension;
import pql.v1.GetAccountScoreRequest;
import pql.v1.GetForecastRequest;
import pql.v1.IngestEventRequest;
import pql.v1.ListAccountScoresRequest;
import pql.v1.ScoreView;

@Command(name = "bench", description = "A small load generator against a running gateway: throughput and latency percentiles.",
        subcommands = {BenchCommand.Ingest.class, BenchCommand.Scores.class, BenchCommand.ForecastBench.class})
final class BenchCommand {

    abstract static class Base extends GatewaySubcommand {

        /** Runs {@code requests} calls on {@code concurrency} threads; returns each call's latency in ns. */
        List<Long> load(int requests, int concurrency, Supplier<Runnable> call) throws Exception {
            List<Long> latencies = Collections.synchronizedList(new ArrayList<>(requests));
            ExecutorService workers = Executors.newFixedThreadPool(concurrency);
            try {
                List<Future<?>> futures = new ArrayList<>();
                int perWorker = requests / concurrency;
                for (int w = 0; w < concurrency; w++) {
                    int count = w == 0 ? perWorker + requests % concurrency : perWorker;
                    futures.add(workers.submit(() -> {
                        for (int i = 0; i < count; i++) {
                            Runnable one = call.get();
                            long started = System.nanoTime();
                            one.run();
                            latencies.add(System.nanoTime() - started);
                        }
                        return null;
                    }));
                }
                for (Future<?> future : futures) {
                    future.get();
                }
            } finally {
                workers.shutdownNow();
            }
            return latencies;
        }

        void report(String what, List<Long> latencies, double seconds, long units, String unitName) {
            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            out().printf(Locale.ROOT, "%s: %,d %s in %.2f s = %,.0f %s/s; latency ms p50 %.2f, p90 %.2f, p99 %.2f, max %.2f (%,d samples)%n",
                    what, units, unitName, seconds, units / seconds, unitName, percentile(sorted, 0.50), percentile(sorted, 0.90),
                    percentile(sorted, 0.99), sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1) / 1e6, sorted.size());
            out().flush();
        }

        static double percentile(List<Long> sorted, double q) {
            if (sorted.isEmpty()) {
                return 0;
            }
            int index = (int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1);
            return sorted.get(Math.max(0, index)) / 1e6;
        }
    }

    @Command(name = "ingest", description = {
        "Measures ingest throughput and latency with synthetic product actions (unique ids).",
        "It sends them through IngestStream, IngestBatch and/or single IngestEvent calls paced at a fixed rate. Events "
                + "come in runs of --events-per-account for one account, as a client buffering its active accounts sends them. "
                + "A warm-up pass first (this JVM's JIT and the server's). Prints events/s, latency percentiles and this "
                + "client's own CPU per event; the server's load average too."})
    static final class Ingest extends Base {
        @Option(names = "--events", defaultValue = "200000", description = "Events per measurement (default ${DEFAULT-VALUE}).")
        int events;

        @Option(names = "--calls", defaultValue = "stream", split = ",",
                description = "stream, batch or both: stream,batch (default ${DEFAULT-VALUE}).")
        List<String> calls;

        @Option(names = "--accounts", defaultValue = "100000", description = "Accounts the events are drawn from (default ${DEFAULT-VALUE}).")
        int accounts;

        @Option(names = "--events-per-account", defaultValue = "10",
                description = "Consecutive events of one account (default ${DEFAULT-VALUE}; 1 = every event of a chunk its own account).")
        int eventsPerAccount;

        @Option(names = "--chunk", defaultValue = "500", description = "Events per stream chunk or batch (default ${DEFAULT-VALUE}).")
        int chunk;

        @Option(names = "--streams", defaultValue = "2", description = "Concurrent IngestStream calls (default ${DEFAULT-VALUE}).")
        int streams;

        @Option(names = "--in-flight", defaultValue = "8",
                description = "Unanswered chunks per stream, or batches in flight (default ${DEFAULT-VALUE}).")
        int inFlight;

        @Option(names = "--warm-up-events", defaultValue = "100000",
                description = "Sent (and not counted) before each measurement (default ${DEFAULT-VALUE}).")
        int warmUpEvents;

        @Option(names = "--unary-rate", defaultValue = "0",
                description = "Also send single events with IngestEvent at this many calls/s, open loop (0 = not).")
        int unaryRate;

        @Option(names = "--unary-seconds", defaultValue = "10", description = "Measured seconds of the paced calls (default ${DEFAULT-VALUE}).")
        int unarySeconds;

        @Option(names = "--unary-warm-up-seconds", defaultValue = "5",
                description = "Paced calls sent first and not counted (default ${DEFAULT-VALUE} s).")
        int unaryWarmUpSeconds;

        @Option(names = "--unary", defaultValue = "0", description = "Also send this many single events with IngestEvent, one at a time.")
        int unary;

        @Override
        public Integer call() throws Exception {
            for (String shape : calls) {
                if (!List.of("stream", "batch").contains(shape)) {
                    throw Usage.error(spec, "--calls: unknown value '" + shape + "'; one of stream, batch");
                }
            }
            String run = UUID.randomUUID().toString().substring(0, 8);
            try (GatewayClient client = connect()) {
                IngestBench bench = new IngestBench(client, run, accounts, eventsPerAccount);
                out().printf(Locale.ROOT, "load average %.2f; %d cores%n", IngestBench.loadAverage(), Runtime.getRuntime().availableProcessors());
                int failed = 0;
                for (String shape : calls) {
                    String what;
                    IngestBench.Result result;
                    switch (shape.trim()) {
                        case "stream" -> {
                            what = String.format(Locale.ROOT, "ingest stream (%d streams, chunks of %d, %d in flight each, %d events per account; "
                                    + "latency per chunk)", streams, chunk, inFlight, eventsPerAccount);
                            if (warmUpEvents > 0) {
                                bench.stream(bench.events(warmUpEvents), streams, chunk, inFlight);
                            }
                            result = bench.stream(bench.events(events), streams, chunk, inFlight);
                        }
                        case "batch" -> {
                            what = String.format(Locale.ROOT, "ingest batch (%d per call, %d in flight, %d events per account; latency per call)",
                                    chunk, inFlight, eventsPerAccount);
                            if (warmUpEvents > 0) {
                                bench.batch(bench.events(warmUpEvents), chunk, inFlight);
                            }
                            result = bench.batch(bench.events(events), chunk, inFlight);
                        }
                        default -> throw Usage.error(spec, "--calls: unknown value '" + shape + "'; one of stream, batch");
                    }
                    out().println(what + ": " + IngestBench.describe(result));
                    if (result.failures() > 0) {
                        out().println("rejected: " + result.failures() + " " + result.errors());
                        failed++;
                    }
                    out().flush();
                }
                if (unaryRate > 0) {
                    int warmUpCalls = unaryRate * unaryWarmUpSeconds;
                    IngestBench.Result paced = bench.paced(bench.events(warmUpCalls + unaryRate * unarySeconds), unaryRate, warmUpCalls);
                    out().printf(Locale.ROOT, "ingest unary paced at %,d/s for %d s (open loop): achieved %,.0f/s; latency ms p50 %.2f, p90 %.2f, "
                            + "p99 %.2f, p99.9 %.2f, max %.2f; %d failed; client CPU %.1f us/call%n", unaryRate, unarySeconds,
                            paced.events() / paced.seconds(), paced.millis(0.50), paced.millis(0.90), paced.millis(0.99), paced.millis(0.999),
                            paced.maxMillis(), paced.failures(), paced.clientCpuMicrosPerEvent());
                    failed += paced.failures() > 0 ? 1 : 0;
                }
                if (unary > 0) {
                    List<Event> singles = bench.events(unary);
                    int[] next = {0};
                    long unaryStarted = System.nanoTime();
                    List<Long> latencies = load(unary, 1, () -> {
                        Event event = singles.get(next[0]++);
                        return () -> client.ingest().ingestEvent(IngestEventRequest.newBuilder().setEvent(event).build());
                    });
                    report("ingest unary (one at a time)", latencies, (System.nanoTime() - unaryStarted) / 1e9, unary, "events");
                }
                out().printf(Locale.ROOT, "load average %.2f%n", IngestBench.loadAverage());
                return failed == 0 ? 0 : ErrorPrinter.FAILED;
            }
        }
    }

    @Command(name = "scores", description = "GetAccountScore for random known accounts.")
    static final class Scores extends Base {
        @Option(names = "--requests", defaultValue = "5000")
        int requests;

        @Option(names = "--concurrency", defaultValue = "4")
        int concurrency;

        @Override
        public Integer call() throws Exception {
            try (GatewayClient client = connect()) {
                List<String> accounts = client.scoring().listAccountScores(ListAccountScoresRequest.newBuilder()
                        .setPageSize(1000).setView(ScoreView.SCORE_VIEW_BASIC).build())
                        .getScoresList().stream().map(AccountScore::getAccountId).toList();
                if (accounts.isEmpty()) {
                    out().println("no accounts to read: ingest some first (pql ingest, or the all-in-one's sample)");
                    return ErrorPrinter.FAILED;
                }
                long started = System.nanoTime();
                List<Long> latencies = load(requests, concurrency, () -> {
                    String account = accounts.get(ThreadLocalRandom.current().nextInt(accounts.size()));
                    return () -> client.scoring().getAccountScore(GetAccountScoreRequest.newBuilder().setAccountId(account).build());
                });
                report("account scores (" + concurrency + " threads)", latencies, (System.nanoTime() - started) / 1e9, requests, "requests");
                return 0;
            }
        }
    }

    @Command(name = "forecast", description = "GetForecast grouped by persona, repeatedly.")
    static final class ForecastBench extends Base {
        @Option(names = "--requests", defaultValue = "50")
        int requests;

        @Option(names = "--concurrency", defaultValue = "1")
        int concurrency;

        @Override
        public Integer call() throws Exception {
            try (GatewayClient client = connect()) {
                GetForecastRequest request = GetForecastRequest.newBuilder().addGroupBy(ForecastDimension.FORECAST_DIMENSION_PERSONA).build();
                long started = System.nanoTime();
                List<Long> latencies = load(requests, concurrency, () -> () -> client.forecast().getForecast(request));
                report("forecast by persona (" + concurrency + " threads)", latencies, (System.nanoTime() - started) / 1e9, requests,
                        "requests");
                return 0;
            }
        }
    }
}
