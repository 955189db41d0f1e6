package pql.bench.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end of scripts/bench.sh: a run directory's result lines turned into the target lines and
 * the docs' section, over a fixture run whose figures are issue #18's (overload crashed, ingest
 * missing).
 */
class BenchSummaryTest {

    private static Path fixture() throws URISyntaxException {
        return Path.of(BenchSummaryTest.class.getResource("/bench-run/run.txt").toURI()).getParent();
    }

    private static List<String> lines() throws URISyntaxException {
        return BenchTargets.evaluate(BenchRun.read(fixture())).stream().map(BenchTargets.Figure::line).toList();
    }

    @Test
    void givenARun_whenSummarized_thenTheAllInOneRatioIsItsStreamRateOverThePlainInsertOfTheAppendBenchmark() throws Exception {
        // 130,169 / 137,001 (not the worst case's baseline of 177,999)
        assertThat(lines()).contains(
                "RATIO allinone_stream_vs_plain_insert 0.95x (target 2.0x)",
                "CPU_US_PER_EVENT allinone_stream_vs_plain_insert 14.60");
    }

    @Test
    void givenARun_whenSummarized_thenEveryTargetHasItsLineInTheIssuesForm() throws Exception {
        assertThat(lines()).startsWith(
                "RATIO allinone_stream_vs_plain_insert 0.95x (target 2.0x)",
                "CPU_US_PER_EVENT allinone_stream_vs_plain_insert 14.60",
                "RATIO store_worst_case 0.75x (target 1.0x)",
                "CPU_US_PER_EVENT store_worst_case 9.12",
                "RATIO rescore_vs_axon_jdbc 11.47x (target 20.0x)",
                "CPU_US_PER_EVENT rescore_vs_axon_jdbc 2.63",
                "P99_MS unary_gateway_1000_per_s 4.50 (target < 2)",
                "RATIO store_batches_50x10 1.53x (no target)");
        assertThat(lines()).contains(
                "RATIO ingest_gateway_vs_direct 1.01x (no target)",
                "P50_MS forecast_get_slowest_grouping 35.00 (target < 200)",
                "ROWS_PER_S forecast_lines_windowed 308254 (target >= 200000)");
    }

    @Test
    void givenABenchmarkThatCrashedOrDidNotRun_whenSummarized_thenItsFiguresAreNotAvailable() throws Exception {
        assertThat(lines()).contains(
                "P99_MS score_read_under_flood n/a (target < 50)",
                "RATIO ingest_stream_vs_store n/a (no target)");
    }

    @Test
    void givenALineThatOnlyMentionsResult_whenRead_thenItIsNotAFigure() throws Exception {
        assertThat(BenchRun.read(fixture()).result("gateway-ingest", "suite-stream.events_per_s")).hasValue(130169.0);
    }

    @Test
    void givenTheDocs_whenTheSectionIsReplaced_thenOnlyTheTextBetweenTheMarkersChanges(@TempDir Path docs) throws Exception {
        Path markdown = docs.resolve("BENCHMARKS.md");
        Files.writeString(markdown, "# Benchmarks\n\nintro\n\n" + BenchSummary.BEGIN + "\nold table\n" + BenchSummary.END + "\n\n## Rest\n");
        BenchRun run = BenchRun.read(fixture());

        String updated = BenchSummary.replaceSection(Files.readString(markdown),
                BenchSummary.section(run, BenchTargets.evaluate(run), markdown));

        assertThat(updated).startsWith("# Benchmarks\n\nintro\n\n" + BenchSummary.BEGIN + "\n## Last `scripts/bench.sh` run")
                .endsWith(BenchSummary.END + "\n\n## Rest\n")
                .doesNotContain("old table")
                .contains("mode **quick**, commit `51df1a3`", "wall time 321 s (build 45 s; append 20 s, append-worst-case 21 s, ingest 40 s)",
                        "load average 2.10 2.00 1.90 at the start and 2.50 2.20 2.00 at the end", "**Crashed:** overload (exit 137)")
                .contains("| `RATIO allinone_stream_vs_plain_insert` | ")
                .contains(" | 0.95x | ≥ 2.0x | no | gateway-ingest suite-stream.events_per_s / append baseline.events_per_s |")
                .contains(" | 2.63 | ≤ 1.2 us | no | rescore rescore.cpu_us_per_event |")
                .contains(" | 1.53x | — | — | append embedded.x_baseline |")
                .contains(" | n/a | < 50 ms | n/a | overload reads.flood.p99_ms |")
                .contains("](" + docs.relativize(fixture()).toString().replace('\\', '/') + ")");
    }

    @Test
    void givenDocsWithoutTheMarkers_whenTheSectionIsReplaced_thenItFailsInsteadOfAppending() {
        assertThatThrownBy(() -> BenchSummary.replaceSection("# Benchmarks\n", "section"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bench.sh:begin");
    }
}
