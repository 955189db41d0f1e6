package pql.cli;

import com.google.protobuf.Timestamp;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import pql.v1.AccountScore;
import pql.v1.Event;
import pql.v1.ForecastDimension;
import pql.v1.GetAccountScoreRequest;
import pql.v1.GetForecastRequest;
import pql.v1.IngestEventRequest;
import pql.v1.ListAccountScoresRequest;
import pql.v1.ProductAction;
import pql.v1.ScoreView;

@Command(name = "bench", description = "A small load generator against a running gateway: throughput and latency percentiles.",
        subcommands = {BenchCommand.Ingest.class, BenchCommand.Scores.class, BenchCommand.ForecastBench.class})
final class BenchCommand {

    abstract static class Base implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        GatewayClient connect() {
            return ((Pql) spec.root().userObject()).connect();
        }

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

    @Command(name = "ingest", description = "Streams synthetic product actions (unique ids, new accounts) through IngestStream.")
    static final class Ingest extends Base {
        @Option(names = "--events", defaultValue = "200000")
        int events;

        @Option(names = "--accounts", defaultValue = "1000")
        int accounts;

        @Option(names = "--chunk", defaultValue = "1000")
        int chunk;

        @Option(names = "--in-flight", defaultValue = "8")
        int inFlight;

        @Option(names = "--unary", defaultValue = "0", description = "Also send this many single events with IngestEvent, one at a time.")
        int unary;

        @Override
        public Integer call() throws Exception {
            String run = UUID.randomUUID().toString().substring(0, 8);
            Instant now = Instant.now().minusSeconds(1);
            List<Event> batch = new ArrayList<>(events);
            for (int i = 0; i < events; i++) {
                batch.add(event(run, i, i % accounts, now));
            }
            try (GatewayClient client = connect()) {
                Iterator<Event> source = batch.iterator();
                long[] line = {0};
                EventReader reader = new EventReader() {
                    @Override
                    public EventLine next() {
                        return source.hasNext() ? EventLine.ok(++line[0], source.next()) : null;
                    }

                    @Override
                    public void close() {
                    }
                };
                IngestStreamer streamer = new IngestStreamer(client.ingestStreaming(), chunk, inFlight);
                long started = System.nanoTime();
                streamer.run(reader);
                double seconds = (System.nanoTime() - started) / 1e9;
                report("ingest stream (chunk " + chunk + ", " + inFlight + " in flight; latency per chunk)", streamer.chunkLatencies,
                        seconds, streamer.accepted.get() + streamer.duplicates.get(), "events");
                if (streamer.rejected.get() > 0) {
                    out().println("rejected: " + streamer.rejected.get() + " " + streamer.reasons().keySet());
                }
                if (unary > 0) {
                    int[] next = {events};
                    long unaryStarted = System.nanoTime();
                    List<Long> latencies = load(unary, 1, () -> {
                        Event event = event(run, next[0]++, next[0] % accounts, now);
                        return () -> client.ingest().ingestEvent(IngestEventRequest.newBuilder().setEvent(event).build());
                    });
                    report("ingest unary (one at a time)", latencies, (System.nanoTime() - unaryStarted) / 1e9, unary, "events");
                }
                return 0;
            }
        }

        private static Event event(String run, int number, int account, Instant at) {
            return Event.newBuilder()
                    .setEventId("bench-" + run + "-" + number)
                    .setAccountId("bench-" + run + "-acct-" + account)
                    .setOccurredAt(Timestamp.newBuilder().setSeconds(at.getEpochSecond()))
                    .setProductAction(ProductAction.newBuilder().setUserId("u" + (number % 7)).setAction(number % 3 == 0 ? "report_created" : "report_viewed"))
                    .build();
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
