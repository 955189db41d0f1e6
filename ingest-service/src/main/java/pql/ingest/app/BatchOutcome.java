package pql.ingest.app;

import java.util.List;

/**
 * The result of every event of a call, in request order, with the counts by kind.
 */
public record BatchOutcome(List<ItemResult> results, int accepted, int duplicates, int rejected) {

    public BatchOutcome {
        results = List.copyOf(results);
    }

    static BatchOutcome of(ItemResult[] results) {
        int accepted = 0;
        int duplicates = 0;
        int rejected = 0;
        for (ItemResult result : results) {
            if (result instanceof ItemResult.Accepted) {
                accepted++;
            } else if (result instanceof ItemResult.Duplicate) {
                duplicates++;
            } else {
                rejected++;
            }
        }
        return new BatchOutcome(List.of(results), accepted, duplicates, rejected);
    }
}
