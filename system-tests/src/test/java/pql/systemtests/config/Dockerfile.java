package pql.systemtests.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** docker/Dockerfile read as its stages and instructions (continuations joined, comments dropped). */
public final class Dockerfile {

    /** One instruction: its keyword (upper case) and the rest of the line. */
    public record Instruction(String keyword, String arguments) {
    }

    /** A build stage: {@code FROM <base> AS <name>} and what follows it. */
    public record Stage(String name, String base, List<Instruction> instructions) {

        public List<String> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
        }

        /** Values set by {@code ENV A=1 B="2"} lines of this stage. */
        public Map<String, String> env() {
            Map<String, String> env = new LinkedHashMap<>();
            Pattern pair = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S+)");
            for (String line : all("ENV")) {
                Matcher m = pair.matcher(line);
                while (m.find()) {
                    String value = m.group(2);
                    env.put(m.group(1), value.startsWith("\"") ? value.substring(1, value.length() - 1) : value);
                }
            }
            return env;
        }
    }

    private final Map<String, Stage> stages;

    private Dockerfile(Map<String, Stage> stages) {
        this.stages = stages;
    }

    public static Dockerfile read(Path file) throws IOException {
        List<String> logical = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            logical.add(current.toString().strip());
            current.setLength(0);
        }
        Map<String, Stage> stages = new LinkedHashMap<>();
        Stage stage = null;
        Pattern from = Pattern.compile("(?i)FROM\\s+(\\S+)(?:\\s+AS\\s+(\\S+))?");
        for (String line : logical) {
            String keyword = line.split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
            String arguments = line.contains(" ") ? line.substring(line.indexOf(' ') + 1).strip() : "";
            if (keyword.equals("FROM")) {
                Matcher m = from.matcher(line);
                if (!m.matches()) {
                    throw new AssertionError("unreadable FROM: " + line);
                }
                String name = m.group(2) == null ? "stage" + stages.size() : m.group(2);
                stage = new Stage(name, m.group(1), new ArrayList<>());
                stages.put(name, stage);
            } else if (stage != null) {
                stage.instructions().add(new Instruction(keyword, arguments));
            }
        }
        return new Dockerfile(stages);
    }

    public Stage stage(String name) {
        Stage stage = stages.get(name);
        if (stage == null) {
            throw new AssertionError("docker/Dockerfile has no stage " + name + "; it has " + stages.keySet());
        }
        return stage;
    }

    /** The stage and the stages it is built FROM, nearest first. */
    public List<Stage> lineage(String name) {
        List<Stage> lineage = new ArrayList<>();
        Stage stage = stage(name);
        while (stage != null) {
            lineage.add(stage);
            stage = stages.get(stage.base());
        }
        return lineage;
    }
}
