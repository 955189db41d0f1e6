package pql.scoring.domain.definition;

/**
 * One problem of a definition: the path of the field (e.g. {@code activation.steps[2].min_count},
 * proto field names) and what is wrong with it.
 */
public record Violation(String field, String message) {

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
