package pql.forecast.bench;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import pql.common.grpc.WindowedStreamReader;
import pql.common.telemetry.Telemetry;
import pql.forecast.ForecastModule;
import pql.forecast.ForecastSettings;
import pql.forecast.domain.AccountSnapshot;
import pql.forecast.domain.revenue.Dimension;
import pql.forecast.domain.revenue.ForecastCalculator;
import pql.forecast.domain.revenue.ForecastFilter;
import pql.forecast.domain.revenue.ForecastQuery;
import pql.forecast.domain.revenue.OpenTrialPolicy;
import pql.forecast.domain.revenue.RangeEstimator;
import pql.forecast.grpc.ScoreMapper;
import pql.forecast.support.ScoringServiceFixture;
import pql.forecast.support.SeedOdds;
import pql.load.BenchResult;
import pql.v1.AccountScore;
import pql.v1.ForecastDimension;
import pql.v1.ForecastLine;
import pql.v1.ForecastServiceGrpc;
import pql.v1.GetForecastRequest;
import pql.v1.StreamForecastLinesRequest;

/**
 * GetForecast latency over 100k accounts and StreamForecastLines rows per second, over real
 * loopback gRPC (Netty both ways: client -> forecast-service -> scoring fixture), against naive
 * baselines measured in the same run. Run from the repository root:
 *
 * <pre>
 * ./mvnw -q -pl forecast-service test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=pql.forecast.bench.ForecastBenchmark [-Dexec.args="100000"]
 * </pre>
 *
 * Besides its tables it prints, for scripts/bench.sh, {@code RESULT get.<grouping>.p50_ms} (and
 * {@code get.slowest.p50_ms}), {@code lines.windowed|direct.rows_per_s} and {@code .x_naive}.
 */
public final class ForecastBenchmark {

    private static final int WARMUP = 10;
    private static final int MEASURED = 30;

    public static void main(String[] args) throws Exception {
        int accounts = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        String parts = args.length > 1 ? args[1] : "forecast,lines";
        System.out.printf(Locale.ROOT, "forecast benchmark: %,d accounts, %d cores, Java %s%n", accounts,
                Runtime.getRuntime().availableProcessors(), Runtime.version());
        List<AccountScore> scores = SyntheticPortfolio.generate(accounts, 42);

        try (ScoringServiceFixture scoring = ScoringServiceFixture.onLoopback()) {
            scoring.publish(1, Map.of()).put(1, scores);
            ManagedChannel toScoring = NettyChannelBuilder.forAddress("127.0.0.1", scoring.port()).usePlaintext()
                    .maxInboundMessageSize(64 << 20).build();
            ForecastModule module = new ForecastModule(new ForecastSettings().setWarmOnStart(false), toScoring, Telemetry.noop(),
                    Clock.systemUTC());
            NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0));
            module.services().forEach(builder::addService);
            Server server = builder.build().start();
            Server naiveServer = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .addService(new NaiveLinesService(module.forecasting())).build().start();
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
            // a bulk reader's choice: callbacks on the transport thread, no hand-off per message
            ManagedChannel directChannel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext()
                    .directExecutor().build();
            ManagedChannel naiveChannel = NettyChannelBuilder.forAddress("127.0.0.1", naiveServer.getPort()).usePlaintext()
                    .maxInboundMessageSize(64 << 20).build();
            ManagedChannel naiveDirectChannel = NettyChannelBuilder.forAddress("127.0.0.1", naiveServer.getPort()).usePlaintext()
                    .maxInboundMessageSize(64 << 20).directExecutor().build();
            ForecastServiceGrpc.ForecastServiceBlockingStub forecasts = ForecastServiceGrpc.newBlockingStub(channel);
            try {
                run(forecasts, ForecastServiceGrpc.newBlockingStub(naiveChannel), directChannel, naiveDirectChannel, scores, parts);
            } finally {
                channel.shutdownNow();
                directChannel.shutdownNow();
                naiveDirectChannel.shutdownNow();
                naiveChannel.shutdownNow();
                server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                naiveServer.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                module.close();
                toScoring.shutdownNow();
            }
        }
    }

    private static void run(ForecastServiceGrpc.ForecastServiceBlockingStub forecasts,
            ForecastServiceGrpc.ForecastServiceBlockingStub naive, io.grpc.Channel directChannel, io.grpc.Channel naiveDirectChannel,
            List<AccountScore> scores, String parts) {
        long coldStart = System.nanoTime();
        long openTrials = forecasts.getForecast(GetForecastRequest.getDefaultInstance()).getOpenTrials();
        double coldMillis = (System.nanoTime() - coldStart) / 1e6;
        System.out.printf(Locale.ROOT, "cold start (first request loads every score over gRPC): %.0f ms, %,d open trials%n%n",
                coldMillis, openTrials);

        if (parts.contains("forecast")) {
            forecastLatency(forecasts, scores);
        }
        if (parts.contains("lines")) {
            lineThroughput(forecasts, naive, directChannel, naiveDirectChannel, openTrials);
        }
    }

    private static void forecastLatency(ForecastServiceGrpc.ForecastServiceBlockingStub forecasts, List<AccountScore> scores) {
        System.out.println("| GetForecast over loopback gRPC (warm cache, incremental refresh each call) | p50 ms | p90 ms | max ms |");
        System.out.println("|---|---:|---:|---:|");
        Map<String, List<ForecastDimension>> shapes = new java.util.LinkedHashMap<>();
        shapes.put("totals", List.of());
        shapes.put("by persona", List.of(ForecastDimension.FORECAST_DIMENSION_PERSONA));
        shapes.put("by close month", List.of(ForecastDimension.FORECAST_DIMENSION_CLOSE_MONTH));
        shapes.put("by persona x close month", List.of(ForecastDimension.FORECAST_DIMENSION_PERSONA,
                ForecastDimension.FORECAST_DIMENSION_CLOSE_MONTH));
        shapes.put("by owner x close month x persona", List.of(ForecastDimension.FORECAST_DIMENSION_OWNER,
                ForecastDimension.FORECAST_DIMENSION_CLOSE_MONTH, ForecastDimension.FORECAST_DIMENSION_PERSONA));
        Map<String, Double> grpcMedians = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, List<ForecastDimension>> shape : shapes.entrySet()) {
            GetForecastRequest request = GetForecastRequest.newBuilder().addAllGroupBy(shape.getValue()).build();
            double[] millis = time(WARMUP, MEASURED, () -> forecasts.getForecast(request));
            grpcMedians.put(shape.getKey(), percentile(millis, 50));
            System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f |%n", shape.getKey(), percentile(millis, 50),
                    percentile(millis, 90), millis[millis.length - 1]);
        }

        // the arithmetic alone, against the naive loop with Monte Carlo ranges
        List<AccountSnapshot> portfolio = new ArrayList<>(scores.size());
        for (AccountScore score : scores) {
            portfolio.add(ScoreMapper.toSnapshot(score));
        }
        ForecastCalculator calculator = new ForecastCalculator(new RangeEstimator(8192),
                OpenTrialPolicy.TRIALS_ONLY, 20_000_000);
        System.out.println();
        System.out.println("| computation only (no gRPC) | this service ms | naive loop, same ranges ms | speed-up | naive loop,"
                + " Monte Carlo " + NaiveForecast.DRAWS + " draws ms | speed-up |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        compare("by persona", calculator, portfolio, List.of(Dimension.PERSONA), true, false);
        compare("by close month", calculator, portfolio, List.of(Dimension.CLOSE_MONTH), false, true);
        System.out.printf(Locale.ROOT, "%nGetForecast by persona p50 %.1f ms, by close month p50 %.1f ms (target < 200 ms)%n",
                grpcMedians.get("by persona"), grpcMedians.get("by close month"));
        System.out.println();
        grpcMedians.forEach((shape, median) -> BenchResult.print("get." + shape.replace(' ', '_') + ".p50_ms", median));
        BenchResult.print("get.slowest.p50_ms", grpcMedians.values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
    }

    private static void lineThroughput(ForecastServiceGrpc.ForecastServiceBlockingStub forecasts,
            ForecastServiceGrpc.ForecastServiceBlockingStub naive, io.grpc.Channel directChannel, io.grpc.Channel naiveDirectChannel,
            long openTrials) {

        System.out.println();
        System.out.println("| StreamForecastLines over loopback gRPC | rows | median rows/s | best rows/s |");
        System.out.println("|---|---:|---:|---:|");
        double[] ours = linesPerSecond(forecasts, 2, 5, false);
        double[] windowed = linesPerSecond(forecasts, 1, 5, true);
        double[] theirs = linesPerSecond(naive, 1, 3, false);
        double[] naiveWindowed = linesPerSecond(naive, 1, 3, true);
        double[] async = asyncLinesPerSecond(forecasts.getChannel(), 1, 5, null);
        double[] firstRow = new double[5];
        double[] direct = asyncLinesPerSecond(directChannel, 1, 5, firstRow);
        double[] naiveAsync = asyncLinesPerSecond(naive.getChannel(), 1, 3, null);
        double[] naiveFirstRow = new double[3];
        double[] naiveDirect = asyncLinesPerSecond(naiveDirectChannel, 1, 3, naiveFirstRow);
        System.out.printf(Locale.ROOT, "| this service (flow-controlled, explanations built per row) | %,d | %,.0f | %,.0f |%n",
                openTrials, percentile(ours, 50), ours[ours.length - 1]);
        System.out.printf(Locale.ROOT, "| this service, windowed blocking reader (512 ahead: the gateway's CSV, pql forecast --csv) | %,d | %,.0f | %,.0f |%n",
                openTrials, percentile(windowed, 50), windowed[windowed.length - 1]);
        System.out.printf(Locale.ROOT, "| naive, windowed blocking reader | %,d | %,.0f | %,.0f |%n",
                openTrials, percentile(naiveWindowed, 50), naiveWindowed[naiveWindowed.length - 1]);
        System.out.printf(Locale.ROOT, "| this service, read by an async client (no blocking iterator) | %,d | %,.0f | %,.0f |%n",
                openTrials, percentile(async, 50), async[async.length - 1]);
        System.out.printf(Locale.ROOT, "| this service, async client on a direct-executor channel | %,d | %,.0f | %,.0f |%n",
                openTrials, percentile(direct, 50), direct[direct.length - 1]);
        System.out.printf(Locale.ROOT, "| naive, read by an async client | %,d | %,.0f | %,.0f |%n",
                openTrials, percentile(naiveAsync, 50), naiveAsync[naiveAsync.length - 1]);
        System.out.printf(Locale.ROOT, "| naive, async client on a direct-executor channel | %,d | %,.0f | %,.0f |%n",
                openTrials, percentile(naiveDirect, 50), naiveDirect[naiveDirect.length - 1]);
        System.out.printf(Locale.ROOT, "| naive (all lines built first, String.format, no flow control) | %,d | %,.0f | %,.0f |%n",
                openTrials, percentile(theirs, 50), theirs[theirs.length - 1]);
        System.out.printf(Locale.ROOT, "%ntime to the first row (direct-executor reader, median): this service %.1f ms, naive %.1f ms%n",
                percentile(firstRow, 50), percentile(naiveFirstRow, 50));
        System.out.printf(Locale.ROOT, "lines, this service / naive (medians): blocking reader %.2fx, windowed reader %.2fx, async reader %.2fx,"
                + " direct-executor reader %.2fx; target >= 200,000 rows/s%n", percentile(ours, 50) / percentile(theirs, 50),
                percentile(windowed, 50) / percentile(naiveWindowed, 50),
                percentile(async, 50) / percentile(naiveAsync, 50), percentile(direct, 50) / percentile(naiveDirect, 50));
        System.out.println();
        BenchResult.print("lines.windowed.rows_per_s", percentile(windowed, 50));
        BenchResult.print("lines.windowed.x_naive", percentile(windowed, 50) / percentile(naiveWindowed, 50));
        BenchResult.print("lines.direct.rows_per_s", percentile(direct, 50));
        BenchResult.print("lines.direct.x_naive", percentile(direct, 50) / percentile(naiveDirect, 50));
    }

    private static void compare(String name, ForecastCalculator calculator, List<AccountSnapshot> portfolio, List<Dimension> groupBy,
            boolean byPersona, boolean byMonth) {
        ForecastQuery query = new ForecastQuery(groupBy, ForecastFilter.ALL, "USD");
        double[] ours = time(WARMUP, MEASURED, () -> calculator.compute(portfolio, SeedOdds.seed(), query));
        double[] loop = time(WARMUP, MEASURED, () -> NaiveForecast.compute(portfolio, SeedOdds.seed(), byPersona, byMonth, false));
        double[] naive = time(0, 3, () -> NaiveForecast.compute(portfolio, SeedOdds.seed(), byPersona, byMonth, true));
        System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1fx | %.0f | %.0fx |%n", name, percentile(ours, 50),
                percentile(loop, 50), percentile(loop, 50) / percentile(ours, 50), percentile(naive, 50),
                percentile(naive, 50) / percentile(ours, 50));
    }

    private static double[] linesPerSecond(ForecastServiceGrpc.ForecastServiceBlockingStub stub, int warmup, int runs,
            boolean windowed) {
        double[] rates = new double[runs];
        for (int run = -warmup; run < runs; run++) {
            long start = System.nanoTime();
            ForecastServiceGrpc.ForecastServiceBlockingStub timed = stub.withDeadlineAfter(120, TimeUnit.SECONDS);
            Iterator<ForecastLine> lines = windowed
                    ? WindowedStreamReader.start(timed, ForecastServiceGrpc.getStreamForecastLinesMethod(),
                            StreamForecastLinesRequest.getDefaultInstance(), 512)
                    : timed.streamForecastLines(StreamForecastLinesRequest.getDefaultInstance());
            long rows = 0;
            while (lines.hasNext()) {
                lines.next();
                rows++;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (run >= 0) {
                rates[run] = rows / seconds;
            }
        }
        Arrays.sort(rates);
        return rates;
    }

    /** Rows per second of each run, sorted; the time to the first row of each run goes into {@code firstRowMillis}. */
    private static double[] asyncLinesPerSecond(io.grpc.Channel channel, int warmup, int runs, double[] firstRowMillis) {
        double[] rates = new double[runs];
        for (int run = -warmup; run < runs; run++) {
            long start = System.nanoTime();
            long[] firstRowAt = new long[1];
            java.util.concurrent.CompletableFuture<Long> done = new java.util.concurrent.CompletableFuture<>();
            ForecastServiceGrpc.newStub(channel).withDeadlineAfter(120, TimeUnit.SECONDS).streamForecastLines(
                    StreamForecastLinesRequest.getDefaultInstance(), new io.grpc.stub.StreamObserver<ForecastLine>() {
                        private long rows;

                        @Override
                        public void onNext(ForecastLine line) {
                            if (rows++ == 0) {
                                firstRowAt[0] = System.nanoTime();
                            }
                        }

                        @Override
                        public void onError(Throwable t) {
                            done.completeExceptionally(t);
                        }

                        @Override
                        public void onCompleted() {
                            done.complete(rows);
                        }
                    });
            long rows = done.join();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (run >= 0) {
                rates[run] = rows / seconds;
                if (firstRowMillis != null) {
                    firstRowMillis[run] = (firstRowAt[0] - start) / 1e6;
                }
            }
        }
        Arrays.sort(rates);
        if (firstRowMillis != null) {
            Arrays.sort(firstRowMillis);
        }
        return rates;
    }

    private static double[] time(int warmup, int measured, Supplier<?> call) {
        for (int i = 0; i < warmup; i++) {
            call.get();
        }
        double[] millis = new double[measured];
        for (int i = 0; i < measured; i++) {
            long start = System.nanoTime();
            call.get();
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        return millis;
    }

    private static double percentile(double[] sorted, double percent) {
        int index = (int) Math.ceil(percent / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private ForecastBenchmark() {
    }
}
