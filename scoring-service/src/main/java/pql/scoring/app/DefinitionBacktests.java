package pql.scoring.app;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import pql.scoring.domain.Persona;
import pql.scoring.domain.PersonaRule;
import pql.scoring.domain.backtest.BacktestReport;
import pql.scoring.domain.backtest.ClosedTrial;
import pql.scoring.domain.backtest.DefinitionBacktest;
import pql.scoring.domain.score.AccountState;

/**
 * Backtests a definition version on the projection that holds it in memory: the serving version, a
 * rescore's shadow once READY, or a retired version still kept for a rollback. Every account's state
 * already knows when its trial closed, when the version first qualified it and its levels just before
 * closing, so a backtest is one pass over the accounts, no replay.
 *
 * <p>A version without a projection is refused with {@link #NEEDS_RESCORE} rather than replayed on
 * demand: a replay costs as much as a rescore (seconds on the sample, minutes on a large log) and would
 * hold a second copy of every account while it runs; a rescore does the same work once, shows its
 * progress, and leaves a projection that diff, promote and later backtests reuse.
 */
public final class DefinitionBacktests {

    /** ErrorInfo reason when the version has no projection to read: rescore it first. */
    public static final String NEEDS_RESCORE = "BACKTEST_NEEDS_RESCORE";

    private final DefinitionRegistry registry;
    private final ProjectionRollout projections;

    public DefinitionBacktests(DefinitionRegistry registry, ProjectionRollout projections) {
        this.registry = registry;
        this.projections = projections;
    }

    /** The backtest of one version and the log position its projection had applied. */
    public record Backtest(int version, long headPosition, BacktestReport report) {
    }

    /**
     * Trials closed in [fromMillis, toMillis) (event time) under {@code version} (0: the active one).
     * NOT_FOUND for an unknown version; FAILED_PRECONDITION ({@link #NEEDS_RESCORE}) without a projection.
     */
    public Backtest backtest(int version, long fromMillis, long toMillis) {
        int resolved = projections.resolve(version);
        ScoringProjection projection = projections.materialized(resolved)
                .orElseThrow(() -> new ScoringException.FailedPrecondition(whyNoProjection(resolved), NEEDS_RESCORE));
        long head = projection.processedPosition();
        List<ClosedTrial> trials = new ArrayList<>();
        for (AccountState state : projection.accounts()) {
            ClosedTrial trial = state.closedTrial();
            if (trial != null) {
                trials.add(trial);
            }
        }
        Map<Persona, Double> odds = new EnumMap<>(Persona.class);
        Map<Persona, Double> configured = projection.definition().definition().personaOdds();
        for (Persona persona : Persona.values()) {
            odds.put(persona, PersonaRule.oddsOf(persona, configured));
        }
        return new Backtest(resolved, head, DefinitionBacktest.run(trials, odds, fromMillis, toMillis));
    }

    private String whyNoProjection(int version) {
        DefinitionRecord record = registry.get(version).orElseThrow();
        DefinitionStatus status = projections.statusOf(record);
        if (status == DefinitionStatus.REPLAYING) {
            RescoreProgress progress = projections.rescoreProgress(version);
            return "version " + version + " is still being rescored (" + progress.eventsDone() + " of "
                    + progress.eventsTotal() + " events): backtest it once it is READY (pql definitions status "
                    + version + ")";
        }
        return "version " + version + " has no projection to backtest (" + status.name().toLowerCase()
                + "): rescore it first with 'pql definitions rescore " + version + " --wait' (StartRescore), then backtest;"
                + " the active version, a READY rescore and a retired version kept for rollback can be backtested at once";
    }
}
