package pql.systemtests.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.core.Application;
import io.dropwizard.core.Configuration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import pql.forecast.ForecastServiceApp;
import pql.gateway.GatewayApp;
import pql.ingest.IngestServiceApp;
import pql.scoring.ScoringServiceApp;
import pql.systemtests.RepoFiles;

/**
 * docs/scaling.md tells an operator which keys and variables to set at each scale; its table
 * "Configuration keys used here" is held to the code here: each key, set to its example value in the
 * process's container config, binds and validates through the service's own Dropwizard bootstrap
 * (which refuses unknown fields), and each variable named beside a key is the one the process's YAML
 * reads at that key. A key renamed in the code, or invented in the doc, fails the build.
 */
class ScalingDocConfigKeysTest {

    private static final String TABLE_HEADING = "Configuration keys used here";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** The processes the table may name: the Dropwizard app, its container config and its module config. */
    private record Process(Application<? extends Configuration> app, String containerConfig, String moduleConfig) {
    }

    private static final Map<String, Process> PROCESSES = Map.of(
            "ingest", new Process(new IngestServiceApp(), "docker/config/ingest.yml", "ingest-service/config.yml"),
            "scoring", new Process(new ScoringServiceApp(), "docker/config/scoring.yml", "scoring-service/config.yml"),
            "forecast", new Process(new ForecastServiceApp(), "docker/config/forecast.yml", "forecast-service/config.yml"),
            "gateway", new Process(new GatewayApp(), "docker/config/gateway.yml", "gateway/config.yml"));

    /** One row of the table; {@code variable} is empty where the doc says the key has none. */
    record KeyRow(String process, String key, String variable, String example) {

        @Override
        public String toString() {
            return process + " " + key;
        }
    }

    static List<KeyRow> rows() throws IOException {
        List<String> lines = Files.readAllLines(RepoFiles.file("docs/scaling.md"));
        int heading = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("## ") && lines.get(i).contains(TABLE_HEADING)) {
                heading = i;
            }
        }
        if (heading < 0) {
            throw new AssertionError("docs/scaling.md has no section '" + TABLE_HEADING + "'");
        }
        List<KeyRow> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : lines.subList(heading + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            if (!line.startsWith("|")) {
                if (inTable) {
                    break;
                }
                continue;
            }
            inTable = true;
            String[] cells = line.split("\\|");
            // cells[0] is the text before the first bar
            if (cells.length < 5 || cells[1].isBlank() || cells[1].trim().equals("process") || cells[1].contains("---")) {
                continue;
            }
            String variable = unquote(cells[3]);
            rows.add(new KeyRow(cells[1].trim(), unquote(cells[2]), variable.equals("—") ? "" : variable, unquote(cells[4])));
        }
        return rows;
    }

    private static String unquote(String cell) {
        String text = cell.trim();
        return text.startsWith("`") && text.endsWith("`") && text.length() > 1 ? text.substring(1, text.length() - 1) : text;
    }

    @Test
    void theTableCoversEveryProcessOfTheDeployments() throws IOException {
        List<KeyRow> rows = rows();

        assertThat(rows).hasSizeGreaterThanOrEqualTo(15);
        assertThat(rows.stream().map(KeyRow::process).collect(Collectors.toSet()))
                .isEqualTo(Set.of("ingest", "scoring", "forecast", "gateway"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void everyKeyBindsWithItsExampleValue(KeyRow row, @TempDir Path dir) throws Exception {
        Process process = process(row);

        Configuration config = loadWith(process, row.key(), row.example(), dir);

        assertThat(config).isNotNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void everyVariableIsTheOneTheYamlReadsAtItsKey(KeyRow row) throws Exception {
        if (row.variable().isEmpty()) {
            return;
        }
        Process process = process(row);
        List<String> readsAtKey = new ArrayList<>();
        for (String file : List.of(process.containerConfig(), process.moduleConfig())) {
            JsonNode node = at(YAML.readTree(RepoFiles.file(file).toFile()), row.key());
            if (node != null && node.isTextual()) {
                readsAtKey.add(node.asText());
            }
        }

        assertThat(readsAtKey)
                .as("%s: what %s and %s read at %s", row.variable(), process.containerConfig(), process.moduleConfig(), row.key())
                .anyMatch(value -> value.contains("${" + row.variable() + ":") || value.contains("${" + row.variable() + "}"));
    }

    @Test
    void aKeyTheCodeDoesNotHaveFailsToBind(@TempDir Path dir) {
        Process scoring = PROCESSES.get("scoring");

        assertThatThrownBy(() -> loadWith(scoring, "scoring.instances", "4", dir))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("instances");
    }

    private static Process process(KeyRow row) {
        Process process = PROCESSES.get(row.process());
        if (process == null) {
            throw new AssertionError("docs/scaling.md names an unknown process '" + row.process() + "' in: " + row);
        }
        return process;
    }

    /**
     * The container config with its defaults substituted (no environment) and {@code key} set to
     * {@code value}, loaded through the service's bootstrap.
     */
    private static Configuration loadWith(Process process, String key, String value, Path dir) throws Exception {
        String substituted = DropwizardConfigs.substitutor(Map.of())
                .replace(Files.readString(RepoFiles.file(process.containerConfig())));
        ObjectNode tree = (ObjectNode) YAML.readTree(substituted);
        String[] path = key.split("\\.");
        ObjectNode parent = tree;
        for (int i = 0; i < path.length - 1; i++) {
            JsonNode child = parent.get(path[i]);
            parent = child instanceof ObjectNode object ? object : parent.putObject(path[i]);
        }
        parent.put(path[path.length - 1], value);
        Path file = dir.resolve("config.yml");
        YAML.writeValue(file.toFile(), tree);
        return DropwizardConfigs.load(process.app(), file, Map.of());
    }

    private static JsonNode at(JsonNode root, String key) {
        JsonNode node = root;
        for (String part : key.split("\\.")) {
            node = node == null ? null : node.get(part);
        }
        return node;
    }
}
