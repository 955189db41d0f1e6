package pql.scoring.testing;

import java.util.Comparator;
import java.util.List;
import pql.eventstore.StoredEvent;
import pql.eventstore.StreamIds;
import pql.scoring.app.ScoringProjection;
import pql.scoring.domain.definition.CompiledDefinition;
import pql.scoring.domain.score.AccountSummary;
import pql.v1.EventEnvelope;

/** Projections fed by hand, and what tests compare of them. */
public final class Projections {

    private Projections() {
    }

    /** {@code history} applied in order (positions from 1) to a fresh projection of {@code definition}. */
    public static ScoringProjection of(SampleHistory history, CompiledDefinition definition) {
        ScoringProjection projection = new ScoringProjection(definition);
        long position = 0;
        for (EventEnvelope envelope : history.events()) {
            projection.apply(new StoredEvent(StreamIds.forAccount(envelope.getAccountId()), 0, ++position, envelope));
        }
        return projection;
    }

    /** "account=percentile" of every account at {@code instant}, by account id. */
    public static List<String> percentilesOfEveryAccount(ScoringProjection projection, long instant) {
        var view = projection.viewAt(instant);
        var percentiles = view.percentiles();
        return view.summaries().stream()
                .sorted(Comparator.comparing(AccountSummary::accountId))
                .map(s -> s.accountId() + "=" + percentiles.ofMember(s.cohort(), s.engagementScore()))
                .toList();
    }
}
