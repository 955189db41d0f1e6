package pql.scoring.app;

import java.time.Instant;
import pql.scoring.domain.discovery.ConversionDiscovery;
import pql.scoring.domain.discovery.DefinitionDraft;
import pql.scoring.domain.discovery.DiscoveryReport;
import pql.scoring.domain.discovery.DiscoverySettings;

/**
 * Use case: suggest a definition from the trials that closed in a period: discovery over their
 * history, then a draft on top of the active definition, ready for publish, rescore, backtest and promote.
 */
public final class DefinitionSuggestions {

    /** What came back: the findings, the draft and the version it was based on. */
    public record Suggestion(DiscoveryReport report, DefinitionDraft draft, int basedOnVersion) {
    }

    private final TrialHistorySource trials;
    private final DefinitionRegistry registry;
    private final ProjectionRollout projections;

    public DefinitionSuggestions(TrialHistorySource trials, DefinitionRegistry registry, ProjectionRollout projections) {
        this.trials = trials;
        this.registry = registry;
        this.projections = projections;
    }

    /** @param falseDiscoveryRate Benjamini-Hochberg's q, in (0, 1) */
    public Suggestion suggest(long fromMillis, long toMillis, double falseDiscoveryRate) {
        if (fromMillis >= toMillis) {
            throw ScoringException.InvalidRequest.of("to", "must be after from");
        }
        if (!(falseDiscoveryRate > 0 && falseDiscoveryRate < 1)) {
            throw ScoringException.InvalidRequest.of("false_discovery_rate", "must be between 0 and 1 (0 for the default 0.05)");
        }
        DiscoverySettings settings = DiscoverySettings.defaults(falseDiscoveryRate);
        DiscoveryReport report = ConversionDiscovery.discover(trials.closedBetween(fromMillis, toMillis), settings);
        int active = projections.resolve(0);
        var base = registry.get(active).orElseThrow().definition();
        String period = Instant.ofEpochMilli(fromMillis) + ".." + Instant.ofEpochMilli(toMillis);
        return new Suggestion(report, DefinitionDraft.from(base, report, settings, period), active);
    }
}
