package pql.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "sample", description = {
    "Writes the sample dataset (realistic trials of every persona) as JSON lines for 'pql ingest'.",
    "Deterministic for a seed and an anchor; the anchor (default now) is the newest event's time."})
final class SampleCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, description = "File to write (JSON lines).")
    Path out;

    @Option(names = "--accounts", defaultValue = "2000", description = "Accounts (default ${DEFAULT-VALUE}, ~90 events each).")
    int accounts;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--anchor", converter = TimeArgument.class, paramLabel = "WHEN",
            description = "End of the sample: a date, instant, today, yesterday or age such as 7d (default: now).")
    com.google.protobuf.Timestamp anchor;

    @Override
    public Integer call() throws Exception {
        Instant end = anchor == null ? Instant.now() : Instant.ofEpochSecond(anchor.getSeconds(), anchor.getNanos());
        int events = AllInOneEntryPoints.writeSample(out, accounts, seed, end);
        PrintWriter console = spec.commandLine().getOut();
        console.printf(Locale.ROOT, "%,d events of %,d accounts written to %s, the planted truth beside it (.truth.json)%n",
                events, accounts, out);
        console.flush();
        return 0;
    }
}
