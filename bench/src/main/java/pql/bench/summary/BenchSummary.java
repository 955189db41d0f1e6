package pql.bench.summary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The last step of {@code scripts/bench.sh}: reads a run directory, prints one line per target
 * ({@link BenchTargets}) and, with {@code --update docs/BENCHMARKS.md}, rewrites the summary
 * section between {@value #BEGIN} and {@value #END} in that file from the same figures, linking
 * the raw run. Missing targets are reported, not an error: the exit code says only whether the
 * run could be read.
 *
 * <pre>
 * java -cp ... pql.bench.summary.BenchSummary docs/benchmark-runs/bench-2026-12-03T0915Z [--update docs/BENCHMARKS.md]
 * </pre>
 */
public final class BenchSummary {

    static final String BEGIN = "<!-- bench.sh:begin -->";
    static final String END = "<!-- bench.sh:end -->";

    private BenchSummary() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1 && !(args.length == 3 && args[1].equals("--update"))) {
            System.err.println("usage: BenchSummary <run directory> [--update <markdown file>]");
            System.exit(2);
        }
        BenchRun run = BenchRun.read(Path.of(args[0]));
        List<BenchTargets.Figure> figures = BenchTargets.evaluate(run);
        if (args.length == 3) {
            Path markdown = Path.of(args[2]);
            Files.writeString(markdown, replaceSection(Files.readString(markdown), section(run, figures, markdown)));
        }
        figures.forEach(figure -> System.out.println(figure.line()));
    }

    /** {@code document} with what lies between the markers replaced by {@code section}. */
    static String replaceSection(String document, String section) {
        int begin = document.indexOf(BEGIN);
        int end = document.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("the document has no " + BEGIN + " ... " + END + " section to replace");
        }
        return document.substring(0, begin + BEGIN.length()) + "\n" + section + document.substring(end);
    }

    /** The generated Markdown: where the run is, how it ran, and one table row per line. */
    static String section(BenchRun run, List<BenchTargets.Figure> figures, Path markdown) {
        Path base = markdown.toAbsolutePath().normalize().getParent();
        String link = base.relativize(run.directory().toAbsolutePath().normalize()).toString().replace('\\', '/');
        String name = run.directory().toAbsolutePath().normalize().getFileName().toString();
        StringBuilder text = new StringBuilder();
        text.append("## Last `scripts/bench.sh` run\n\n");
        text.append("Generated from [`").append(name).append("`](").append(link).append(") (each benchmark's raw output, `run.txt`, `summary.txt`): ")
                .append("mode **").append(run.meta("mode", "?")).append("**, commit `").append(run.meta("commit", "?"))
                .append("`, started ").append(run.meta("started", "?")).append(", wall time ").append(run.meta("wall_seconds", "?"))
                .append(" s (build ").append(run.meta("build_seconds", "?")).append(" s; ").append(run.meta("durations", "?"))
                .append("), load average ").append(run.meta("load_start", "?")).append(" at the start and ")
                .append(run.meta("load_end", "?")).append(" at the end, ").append(run.meta("cores", "?")).append(" cores.");
        String crashed = run.meta("crashed", "");
        if (!crashed.isBlank()) {
            text.append(" **Crashed:** ").append(crashed).append(" (their figures are n/a).");
        }
        text.append("\n\n| line | what | measured | target | met | from (benchmark file: result) |\n|---|---|---:|---|---|---|\n");
        for (BenchTargets.Figure figure : figures) {
            text.append("| `").append(figure.kind()).append(' ').append(figure.name()).append("` | ").append(figure.what())
                    .append(" | ").append(figure.measured()).append(" | ").append(figure.targetText()).append(" | ").append(figure.met())
                    .append(" | ").append(figure.source()).append(" |\n");
        }
        return text.toString();
    }
}
