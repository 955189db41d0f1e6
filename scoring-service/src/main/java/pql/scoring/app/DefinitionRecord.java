package pql.scoring.app;

import pql.scoring.domain.definition.ScoringDefinition;

/**
 * A published version and what happened to it.
 *
 * @param activatedAt epoch ms of its latest activation, {@link Long#MIN_VALUE} if never
 */
public record DefinitionRecord(int version, ScoringDefinition definition, long publishedAt, String publishedBy,
        long activatedAt, String activatedBy) {

    public boolean everActivated() {
        return activatedAt != Long.MIN_VALUE;
    }

    DefinitionRecord activated(long at, String by) {
        return new DefinitionRecord(version, definition, publishedAt, publishedBy, at, by);
    }
}
