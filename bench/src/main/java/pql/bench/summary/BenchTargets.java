package pql.bench.summary;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * The figures {@code scripts/bench.sh} ends with, one line each, computed from a run's result
 * lines: the targets of issue #18 (each a ratio against a baseline measured in the same run, or a
 * CPU or latency bound) and the figures the issue asks to report beside them. The benchmark
 * output files are named by bench.sh: {@code append} (batches of 50 accounts x 10 events),
 * {@code append-worst-case} (one event per account), {@code ingest}, {@code gateway-ingest},
 * {@code rescore}, {@code forecast}, {@code overload}.
 */
public final class BenchTargets {

    /** What a line measures, which is also its first word. */
    public enum Kind {
        RATIO, CPU_US_PER_EVENT, P99_MS, P50_MS, ROWS_PER_S
    }

    /** A target: the value must be at least (or below, or at most) {@code value}. */
    public record Bound(String comparison, double value) {

        static Bound atLeast(double value) {
            return new Bound(">=", value);
        }

        static Bound below(double value) {
            return new Bound("<", value);
        }

        static Bound atMost(double value) {
            return new Bound("<=", value);
        }

        boolean metBy(double measured) {
            return switch (comparison) {
                case ">=" -> measured >= value;
                case "<" -> measured < value;
                case "<=" -> measured <= value;
                default -> throw new IllegalStateException(comparison);
            };
        }
    }

    /**
     * One line of the summary.
     *
     * @param what   what is measured, in words (the docs' table)
     * @param source where the value comes from: benchmark file and result keys
     * @param target null: reported, no target
     */
    public record Figure(Kind kind, String name, String what, String source, OptionalDouble value, Bound target) {

        /** The line bench.sh prints, e.g. {@code RATIO rescore_vs_axon_jdbc 11.50x (target 20.0x)}. */
        public String line() {
            return switch (kind) {
                // the exact form: CPU targets are in the docs' table, not on the line
                case CPU_US_PER_EVENT -> "CPU_US_PER_EVENT " + name + " " + measured();
                case RATIO -> "RATIO " + name + " " + measured()
                        + (target == null ? " (no target)" : String.format(Locale.ROOT, " (target %.1fx)", target.value()));
                default -> kind + " " + name + " " + measured()
                        + (target == null ? " (no target)" : " (target " + target.comparison() + " " + plain(target.value()) + ")");
            };
        }

        /** The value as the line shows it ({@code 1.53x}, {@code 4.50}, {@code 308254}), or {@code n/a}. */
        public String measured() {
            if (value.isEmpty()) {
                return "n/a";
            }
            return String.format(Locale.ROOT, kind == Kind.ROWS_PER_S ? "%.0f" : "%.2f", value.getAsDouble()) + (kind == Kind.RATIO ? "x" : "");
        }

        /** The target in words for the docs: "≥ 2.0x", "< 2 ms", or "—". */
        public String targetText() {
            if (target == null) {
                return "—";
            }
            String comparison = switch (target.comparison()) {
                case ">=" -> "≥";
                case "<=" -> "≤";
                default -> target.comparison();
            };
            String unit = switch (kind) {
                case RATIO -> "x";
                case CPU_US_PER_EVENT -> " us";
                case P99_MS, P50_MS -> " ms";
                case ROWS_PER_S -> " rows/s";
            };
            return comparison + " " + (kind == Kind.RATIO ? String.format(Locale.ROOT, "%.1f", target.value()) : plain(target.value())) + unit;
        }

        /** "yes" or "no" against the target; "—" without a target; "n/a" when the benchmark gave no value. */
        public String met() {
            if (value.isEmpty()) {
                return "n/a";
            }
            if (target == null) {
                return "—";
            }
            return target.metBy(value.getAsDouble()) ? "yes" : "no";
        }

        private static String plain(double number) {
            return BigDecimal.valueOf(number).stripTrailingZeros().toPlainString();
        }
    }

    private record Definition(Kind kind, String name, String what, String source, Function<BenchRun, OptionalDouble> value,
            Bound target) {
    }

    private static final String SUITE = "all-in-one IngestStream through the gateway, scoring projecting (whole process, load generator included)";

    private static final List<Definition> DEFINITIONS = List.of(
            new Definition(Kind.RATIO, "allinone_stream_vs_plain_insert", SUITE + " / plain PostgreSQL batch insert",
                    "gateway-ingest suite-stream.events_per_s / append baseline.events_per_s",
                    ratio("gateway-ingest", "suite-stream.events_per_s", "append", "baseline.events_per_s"), Bound.atLeast(2.0)),
            new Definition(Kind.CPU_US_PER_EVENT, "allinone_stream_vs_plain_insert", SUITE,
                    "gateway-ingest suite-stream.cpu_us_per_event", result("gateway-ingest", "suite-stream.cpu_us_per_event"),
                    Bound.atMost(6.0)),
            new Definition(Kind.RATIO, "store_worst_case", "embedded store, durable appends, one event per account (500 appends per batch) "
                    + "/ plain PostgreSQL batch insert", "append-worst-case embedded.x_baseline",
                    result("append-worst-case", "embedded.x_baseline"), Bound.atLeast(1.0)),
            new Definition(Kind.CPU_US_PER_EVENT, "store_worst_case", "the same, CPU of the benchmark's JVM",
                    "append-worst-case embedded.cpu_us_per_event", result("append-worst-case", "embedded.cpu_us_per_event"), null),
            new Definition(Kind.RATIO, "rescore_vs_axon_jdbc", "rescore through Axon over the embedded store (best replay) / Axon "
                    + "JdbcEventStorageEngine (H2) + pooled processor", "rescore rescore.x_baseline",
                    result("rescore", "rescore.x_baseline"), Bound.atLeast(20.0)),
            new Definition(Kind.CPU_US_PER_EVENT, "rescore_vs_axon_jdbc", "rescore, whole process (lowest of the replays)",
                    "rescore rescore.cpu_us_per_event", result("rescore", "rescore.cpu_us_per_event"), Bound.atMost(1.2)),
            new Definition(Kind.P99_MS, "unary_gateway_1000_per_s", "IngestEvent paced at 1,000 calls/s through the all-in-one's gateway",
                    "gateway-ingest gateway-unary.p99_ms", result("gateway-ingest", "gateway-unary.p99_ms"), Bound.below(2.0)),
            new Definition(Kind.RATIO, "store_batches_50x10", "embedded store, durable appends, batches of 50 accounts x 10 events "
                    + "/ plain PostgreSQL batch insert", "append embedded.x_baseline", result("append", "embedded.x_baseline"), null),
            new Definition(Kind.CPU_US_PER_EVENT, "store_batches_50x10", "the same, CPU of the benchmark's JVM",
                    "append embedded.cpu_us_per_event", result("append", "embedded.cpu_us_per_event"), null),
            new Definition(Kind.RATIO, "ingest_gateway_vs_direct", "IngestStream through the gateway (scoring idle) / straight to "
                    + "ingest-service", "gateway-ingest gateway-stream.x_direct", result("gateway-ingest", "gateway-stream.x_direct"), null),
            new Definition(Kind.CPU_US_PER_EVENT, "ingest_gateway_vs_direct", "IngestStream through the gateway, whole process",
                    "gateway-ingest gateway-stream.cpu_us_per_event", result("gateway-ingest", "gateway-stream.cpu_us_per_event"), null),
            new Definition(Kind.RATIO, "ingest_stream_vs_store", "ingest-service alone, IngestStream / the same events appended "
                    + "straight to the store", "ingest stream.x_baseline", result("ingest", "stream.x_baseline"), null),
            new Definition(Kind.CPU_US_PER_EVENT, "ingest_stream_vs_store", "ingest-service alone, IngestStream, whole process",
                    "ingest stream.cpu_us_per_event", result("ingest", "stream.cpu_us_per_event"), null),
            new Definition(Kind.P99_MS, "unary_direct_1000_per_s", "IngestEvent paced at 1,000 calls/s straight to ingest-service",
                    "gateway-ingest direct-unary.p99_ms", result("gateway-ingest", "direct-unary.p99_ms"), null),
            new Definition(Kind.P99_MS, "score_read_under_flood", "GetAccountScore at 20/s through the gateway while 50 clients flood "
                    + "IngestBatch", "overload reads.flood.p99_ms", result("overload", "reads.flood.p99_ms"), Bound.below(50.0)),
            new Definition(Kind.P50_MS, "forecast_get_slowest_grouping", "GetForecast, slowest grouping's median",
                    "forecast get.slowest.p50_ms", result("forecast", "get.slowest.p50_ms"), Bound.below(200.0)),
            new Definition(Kind.ROWS_PER_S, "forecast_lines_windowed", "StreamForecastLines, windowed blocking reader (CSV export)",
                    "forecast lines.windowed.rows_per_s", result("forecast", "lines.windowed.rows_per_s"), Bound.atLeast(200_000)),
            new Definition(Kind.RATIO, "forecast_lines_vs_naive", "the same / a naive export read the same way",
                    "forecast lines.windowed.x_naive", result("forecast", "lines.windowed.x_naive"), null));

    private BenchTargets() {
    }

    /** Every line of the summary, in the order printed: the targets first. */
    public static List<Figure> evaluate(BenchRun run) {
        return DEFINITIONS.stream()
                .map(d -> new Figure(d.kind(), d.name(), d.what(), d.source(), d.value().apply(run), d.target()))
                .toList();
    }

    private static Function<BenchRun, OptionalDouble> result(String benchmark, String key) {
        return run -> run.result(benchmark, key);
    }

    private static Function<BenchRun, OptionalDouble> ratio(String benchmark, String key, String baselineBenchmark, String baselineKey) {
        return run -> {
            OptionalDouble value = run.result(benchmark, key);
            OptionalDouble baseline = run.result(baselineBenchmark, baselineKey);
            return value.isPresent() && baseline.isPresent() && baseline.getAsDouble() > 0
                    ? OptionalDouble.of(value.getAsDouble() / baseline.getAsDouble())
                    : OptionalDouble.empty();
        };
    }
}
