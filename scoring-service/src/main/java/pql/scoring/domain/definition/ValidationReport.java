package pql.scoring.domain.definition;

import java.util.List;

/**
 * What the validator found. With no errors, {@code definition} is the draft with every default
 * filled in (the form that is stored); otherwise it is null.
 */
public record ValidationReport(List<Violation> errors, List<Violation> warnings, ScoringDefinition definition) {

    public ValidationReport {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }

    public boolean isValid() {
        return errors.isEmpty();
    }
}
