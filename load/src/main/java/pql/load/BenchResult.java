package pql.load;

import java.util.Locale;

/**
 * The machine-readable figures of a benchmark: one {@code RESULT <key> <value>} line each, printed
 * beside the benchmark's tables, which {@code scripts/bench.sh} collects into its target lines and
 * docs/BENCHMARKS.md (pql.bench.BenchSummary). Keys are dotted, lower case, without spaces
 * ({@code suite-stream.events_per_s}); each benchmark's output file names its namespace.
 */
public final class BenchResult {

    private BenchResult() {
    }

    /** Prints {@code RESULT key value}; a value that is not a number (no round measured) prints as NaN. */
    public static void print(String key, double value) {
        if (key.isBlank() || key.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("a result key has no spaces: '" + key + "'");
        }
        System.out.printf(Locale.ROOT, "RESULT %s %.4f%n", key, value);
    }
}
