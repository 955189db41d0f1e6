package pql.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "ingest", description = {
    "Sends events from a file through the gateway's IngestStream, with progress and a summary.",
    "FILE is JSON lines (one pql.v1.Event per line in proto3 JSON, e.g. from 'pql sample') or CSV (*.csv, header row: "
            + "event_id,account_id,occurred_at,kind then field columns, see cli/README.md). "
            + "'-' reads standard input (JSON lines unless --format csv)."})
final class IngestCommand implements Callable<Integer> {

    /** Exit code when the call worked but some events were rejected or unreadable. */
    static final int SOME_REJECTED = 3;

    /** Chunks in flight at most: more only holds more memory on both sides. */
    static final int MAX_IN_FLIGHT = 256;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "JSON lines or CSV file, or '-' for stdin.")
    String file;

    @Option(names = "--format", description = "jsonl or csv (default: by the file name).")
    String format;

    @Option(names = "--chunk", defaultValue = "1000", description = "Events per chunk, 1..2000 (default ${DEFAULT-VALUE}).")
    int chunk;

    @Option(names = "--in-flight", defaultValue = "8", description = "Chunks sent before their answers (default ${DEFAULT-VALUE}).")
    int inFlight;

    @Option(names = "--quiet", description = "No progress line.")
    boolean quiet;

    @Option(names = "--dry-run", description = "Validate every event through the API's validate-only mode; store nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        Pql root = (Pql) spec.root().userObject();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Usage.within(spec, "--chunk", chunk, 1, IngestStreamer.MAX_CHUNK_EVENTS, null);
        Usage.within(spec, "--in-flight", inFlight, 1, MAX_IN_FLIGHT, null);
        if (format != null && !List.of("csv", "jsonl").contains(format.toLowerCase(Locale.ROOT))) {
            throw Usage.error(spec, "--format: unknown value '" + format + "'; one of jsonl, csv");
        }
        boolean csv = format != null ? format.toLowerCase(Locale.ROOT).equals("csv") : file.toLowerCase(Locale.ROOT).endsWith(".csv");
        boolean stdin = file.equals("-");
        long totalBytes = stdin ? -1 : Files.size(Path.of(file));
        CountingInputStream bytes = new CountingInputStream(stdin ? System.in : Files.newInputStream(Path.of(file)));
        // a decoder that reports malformed UTF-8, as Files.newBufferedReader does, rather than replacing it
        BufferedReader input = new BufferedReader(new InputStreamReader(bytes, StandardCharsets.UTF_8.newDecoder()));
        long started = System.nanoTime();
        try (EventReader reader = csv ? new CsvEventReader(input) : new JsonLinesEventReader(input);
                GatewayClient client = root.connect()) {
            IngestStreamer streamer = new IngestStreamer(client.ingestStreaming(), chunk, inFlight);
            ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "pql-ingest-progress");
                thread.setDaemon(true);
                return thread;
            });
            IngestProgress lines = new IngestProgress(err, terminal(), totalBytes, bytes::count, streamer, started);
            if (!quiet) {
                progress.scheduleAtFixedRate(lines::tick, 1, 1, TimeUnit.SECONDS);
            }
            try {
                if (dryRun) {
                    streamer.dryRun(reader, client::ingest);
                } else {
                    streamer.run(reader);
                }
            } finally {
                progress.shutdownNow();
                if (!quiet) {
                    lines.finish();
                }
            }
            printSummary(out, streamer, started, dryRun);
            return streamer.rejected.get() + streamer.unreadable.get() > 0 ? SOME_REJECTED : 0;
        }
    }

    /** Whether progress may redraw one line in place (a terminal), rather than print plain lines (a log). */
    static boolean terminal() {
        return System.console() != null && System.getenv("TERM") != null && !"dumb".equals(System.getenv("TERM"));
    }

    static void printSummary(PrintWriter out, IngestStreamer streamer, long started, boolean dryRun) {
        double seconds = (System.nanoTime() - started) / 1e9;
        if (dryRun) {
            out.printf(Locale.ROOT, "dry run, nothing stored: valid %,d, rejected %,d", streamer.valid.get(), streamer.rejected.get());
        } else {
            out.printf(Locale.ROOT, "accepted %,d, duplicates %,d, rejected %,d", streamer.accepted.get(), streamer.duplicates.get(),
                    streamer.rejected.get());
        }
        if (streamer.unreadable.get() > 0) {
            out.printf(Locale.ROOT, ", unreadable %,d", streamer.unreadable.get());
        }
        out.printf(Locale.ROOT, " in %.1f s%n", seconds);
        Map<String, IngestStreamer.Reason> reasons = streamer.reasons();
        if (!reasons.isEmpty()) {
            out.println("rejections by reason:");
            int shown = 0;
            for (Map.Entry<String, IngestStreamer.Reason> reason : reasons.entrySet()) {
                if (shown++ == 20) {
                    out.printf("  ... and %d more reasons%n", reasons.size() - 20);
                    break;
                }
                out.printf(Locale.ROOT, "  %,8d  %s  (lines %s)%n", reason.getValue().count.get(), reason.getKey(),
                        String.join(", ", reason.getValue().lines.stream().map(String::valueOf).toList()));
            }
        }
        out.flush();
    }
}
