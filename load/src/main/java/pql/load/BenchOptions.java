package pql.load;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line of a benchmark main: {@code --name value} pairs (a trailing name without a
 * value is ignored), read with a default per option.
 */
public final class BenchOptions {

    private final Map<String, String> values;

    private BenchOptions(Map<String, String> values) {
        this.values = values;
    }

    /** Parses {@code --name value --name value ...}. */
    public static BenchOptions parse(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            values.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return new BenchOptions(values);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public String text(String name, String otherwise) {
        return values.getOrDefault(name, otherwise);
    }

    public int integer(String name, int otherwise) {
        return has(name) ? Integer.parseInt(values.get(name)) : otherwise;
    }

    public boolean flag(String name, boolean otherwise) {
        return has(name) ? Boolean.parseBoolean(values.get(name)) : otherwise;
    }

    /** A comma-separated list. */
    public List<String> list(String name, List<String> otherwise) {
        return has(name) ? List.of(values.get(name).split(",")) : otherwise;
    }
}
