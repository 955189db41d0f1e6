package pql.scoring.app;

public enum DefinitionStatus {
    /** Published, no shadow projection. */
    PUBLISHED,
    /** A rescore replays history into its shadow projection. */
    REPLAYING,
    /** The shadow caught up and follows live events: ready to diff and promote. */
    READY,
    /** Serving. */
    ACTIVE,
    /** Was active, replaced by a newer promotion. */
    RETIRED
}
