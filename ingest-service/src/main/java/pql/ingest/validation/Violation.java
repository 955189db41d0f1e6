package pql.ingest.validation;

/**
 * One thing wrong with an event.
 *
 * @param field path relative to the event, e.g. "product_action.quantity" or "occurred_at"
 * @param description what is wrong and what is allowed, for a person reading the error
 */
public record Violation(String field, String description) {
}
