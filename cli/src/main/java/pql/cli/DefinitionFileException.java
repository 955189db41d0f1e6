package pql.cli;

import java.io.IOException;
import java.util.List;

/**
 * A YAML or JSON file that is not a valid message, with every problem found, each with its line and
 * column where known. The only exception {@link Formats#parseYamlOrJson} throws for bad input (an
 * {@link IOException}, so callers that read files handle both alike).
 */
final class DefinitionFileException extends IOException {

    /** One problem: 1-based line and column (0 when unknown), the field path and what is wrong. */
    record Problem(int line, int column, String path, String message) {

        @Override
        public String toString() {
            String where = line > 0 ? "line " + line + ", column " + column + ": " : "";
            return where + (path.isEmpty() ? "" : path + ": ") + message;
        }
    }

    private final transient List<Problem> problems;

    DefinitionFileException(List<Problem> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    List<Problem> problems() {
        return problems;
    }

    private static String describe(List<Problem> problems) {
        if (problems.size() == 1) {
            return problems.get(0).toString();
        }
        StringBuilder text = new StringBuilder(problems.size() + " problems:");
        for (Problem problem : problems) {
            text.append(System.lineSeparator()).append("  ").append(problem);
        }
        return text.toString();
    }
}
