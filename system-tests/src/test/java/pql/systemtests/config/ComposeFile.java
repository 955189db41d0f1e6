package pql.systemtests.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml as data: YAML anchors and merge keys resolved (SnakeYAML, as Compose does)
 * and {@code ${VAR:-default}} interpolated from a given environment, so the tests read what a
 * container would get without a Docker engine.
 */
public final class ComposeFile {

    private final Map<String, Object> root;

    private ComposeFile(Map<String, Object> root) {
        this.root = root;
    }

    /** Parsed with every variable unset, i.e. with the file's own defaults. */
    public static ComposeFile load(Path file) throws IOException {
        return load(file, Map.of());
    }

    public static ComposeFile load(Path file, Map<String, String> env) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), env);
    }

    public static ComposeFile parse(String text, Map<String, String> env) {
        String interpolated = DropwizardConfigs.substitutor(env).replace(text);
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Map<String, Object> root = new Yaml(options).load(interpolated);
        return new ComposeFile(root);
    }

    public Map<String, Object> raw() {
        return root;
    }

    public Map<String, Object> services() {
        return map(root.get("services"), "services");
    }

    public Map<String, Object> service(String name) {
        Object service = services().get(name);
        if (service == null) {
            throw new AssertionError("docker-compose.yml has no service " + name + "; it has " + services().keySet());
        }
        return map(service, "services." + name);
    }

    /** The service's environment as a map (Compose also accepts a list of NAME=value). */
    public Map<String, String> environment(String name) {
        Object env = service(name).get("environment");
        Map<String, String> result = new LinkedHashMap<>();
        if (env instanceof Map<?, ?> entries) {
            entries.forEach((key, value) -> result.put(String.valueOf(key), value == null ? "" : String.valueOf(value)));
        } else if (env instanceof List<?> lines) {
            for (Object line : lines) {
                String text = String.valueOf(line);
                int equals = text.indexOf('=');
                result.put(equals < 0 ? text : text.substring(0, equals), equals < 0 ? "" : text.substring(equals + 1));
            }
        }
        return result;
    }

    @SuppressWarnings("unchecked")
    public List<String> strings(String service, String key) {
        Object value = service(service).get(key);
        if (value == null) {
            return List.of();
        }
        return ((List<Object>) value).stream().map(String::valueOf).toList();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value, String where) {
        if (!(value instanceof Map<?, ?>)) {
            throw new AssertionError(where + " is not a mapping: " + value);
        }
        return (Map<String, Object>) value;
    }
}
