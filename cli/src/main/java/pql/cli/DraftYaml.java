package pql.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import pql.v1.DraftNote;
import pql.v1.ScoringDefinition;

/**
 * A suggested definition as the YAML 'definitions publish' reads ({@link Formats#yaml}), with each
 * checklist step, engagement weight and trigger followed by a comment saying why it is there.
 */
final class DraftYaml {

    private DraftYaml() {
    }

    static String render(ScoringDefinition draft, List<DraftNote> notes) {
        Map<String, String> why = new HashMap<>();
        notes.forEach(note -> why.put(note.getList() + "#" + note.getIndex(), note.getNote()));
        StringBuilder yaml = new StringBuilder();
        String section = "";
        String list = "";
        Map<String, Integer> items = new HashMap<>();
        for (String line : Formats.yaml(draft).split("\n", -1)) {
            if (!line.startsWith(" ") && line.endsWith(":")) {
                section = line.substring(0, line.length() - 1);
            } else if (line.startsWith("  ") && !line.startsWith("   ") && line.trim().endsWith(":")) {
                list = section + "." + line.trim().substring(0, line.trim().length() - 1);
            } else if (!line.startsWith(" ") || line.startsWith("  ") && !line.startsWith("   ") && !line.startsWith("  -")) {
                list = "";
            }
            yaml.append(line);
            if (line.startsWith("  - ") && !list.isEmpty()) {
                int index = items.merge(list, 1, Integer::sum) - 1;
                String note = why.get(list + "#" + index);
                if (note != null) {
                    yaml.append("  # ").append(note);
                }
            }
            yaml.append('\n');
        }
        return yaml.substring(0, yaml.length() - 1);
    }
}
