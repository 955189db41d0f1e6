package pql.processing;

import org.axonframework.eventhandling.tokenstore.TokenStore;

/**
 * How to run one projection: its processor name (the key of its tokens), segments, batch size
 * and where its tokens live.
 *
 * @param segments initial segment count: the unit of parallelism and of scale-out across processes
 * @param batchSize events handed to the handler per unit of work
 */
public record ProjectionProcessorSpec(String name, int segments, int batchSize, TokenStore tokenStore) {

    public ProjectionProcessorSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("processor name is required");
        }
        if (segments < 1 || batchSize < 1) {
            throw new IllegalArgumentException("segments and batch size must be >= 1");
        }
        if (tokenStore == null) {
            throw new IllegalArgumentException("token store is required");
        }
    }
}
