package pql.bench.summary;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * One {@code scripts/bench.sh} run directory read back: each benchmark's raw output
 * ({@code <benchmark>.txt}) reduced to its {@code RESULT <key> <value>} lines, and the run's
 * {@code META <key> <value...>} lines (mode, commit, wall time, crashed benchmarks) from
 * {@code run.txt}. Everything else in the files (tables, logs) is ignored.
 */
public final class BenchRun {

    /** The file bench.sh writes its own facts into. */
    static final String RUN_FILE = "run.txt";

    private final Path directory;
    private final Map<String, Map<String, Double>> results;
    private final Map<String, String> meta;

    private BenchRun(Path directory, Map<String, Map<String, Double>> results, Map<String, String> meta) {
        this.directory = directory;
        this.results = results;
        this.meta = meta;
    }

    public static BenchRun read(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("not a bench.sh run directory: " + directory);
        }
        Map<String, Map<String, Double>> results = new TreeMap<>();
        Map<String, String> meta = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".txt")).sorted().toList()) {
                String benchmark = file.getFileName().toString().replaceFirst("\\.txt$", "");
                for (String line : Files.readAllLines(file)) {
                    String[] parts = line.strip().split("\\s+", 3);
                    if (parts.length == 3 && parts[0].equals("RESULT")) {
                        results.computeIfAbsent(benchmark, b -> new LinkedHashMap<>()).put(parts[1], parseNumber(parts[2]));
                    } else if (parts.length >= 2 && parts[0].equals("META") && file.getFileName().toString().equals(RUN_FILE)) {
                        meta.put(parts[1], parts.length == 3 ? parts[2] : "");
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new BenchRun(directory, results, meta);
    }

    private static double parseNumber(String text) {
        try {
            return Double.parseDouble(text.strip());
        } catch (NumberFormatException notANumber) {
            return Double.NaN;
        }
    }

    public Path directory() {
        return directory;
    }

    /** The figure a benchmark printed as {@code RESULT key value}; empty when it printed none (or NaN). */
    public OptionalDouble result(String benchmark, String key) {
        Double value = results.getOrDefault(benchmark, Map.of()).get(key);
        return value == null || value.isNaN() ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    /** A fact bench.sh recorded about the run ({@code META key value}), or {@code fallback}. */
    public String meta(String key, String fallback) {
        return meta.getOrDefault(key, fallback);
    }

    /** The benchmarks that printed at least one result line. */
    public List<String> benchmarks() {
        return List.copyOf(results.keySet());
    }
}
