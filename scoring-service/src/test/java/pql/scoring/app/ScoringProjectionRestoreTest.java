package pql.scoring.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import pql.eventstore.StoredEvent;
import pql.eventstore.StreamIds;
import pql.scoring.domain.ProductComplexity;
import pql.scoring.domain.definition.CompiledDefinition;
import pql.scoring.domain.definition.DefinitionPresets;
import pql.scoring.domain.score.AccountState;
import pql.scoring.domain.score.AccountSummary;
import pql.scoring.testing.SampleHistory;
import pql.v1.EventEnvelope;

/**
 * A projection whose segments are restored one after the other (a restart: each segment's
 * checkpoint is loaded when the processor claims it) answers as one restored in one go: the
 * engagement percentiles are built over every account it holds, not over the first segment's.
 */
class ScoringProjectionRestoreTest {

    private static final long AT = SampleHistory.AFTER_ALL_MILLIS;

    private final CompiledDefinition definition =
            new CompiledDefinition(1, DefinitionPresets.forComplexity(ProductComplexity.INTERMEDIATE));

    @Test
    void percentilesReadBetweenTwoSegmentRestoresAreRebuiltOnceTheSecondSegmentIsIn() {
        ScoringProjection followed = projectionOf(SampleHistory.generate(21, 40, 30));
        List<AccountState> firstSegment = new ArrayList<>();
        List<AccountState> secondSegment = new ArrayList<>();
        for (AccountState state : followed.accounts()) {
            ((state.streamHash() & 1) == 0 ? firstSegment : secondSegment).add(state);
        }
        assertThat(firstSegment).isNotEmpty();
        assertThat(secondSegment).isNotEmpty();

        ScoringProjection restarted = new ScoringProjection(definition);
        restarted.restore(firstSegment);
        restarted.viewAt(AT); // a read while the second segment is not claimed yet
        restarted.restore(secondSegment);

        assertThat(percentilesOfEveryAccount(restarted)).isEqualTo(percentilesOfEveryAccount(followed));
    }

    @Test
    void droppingASegmentsAccountsRebuildsThePercentilesOverTheAccountsLeft() {
        ScoringProjection projection = projectionOf(SampleHistory.generate(22, 40, 30));
        projection.viewAt(AT);
        List<AccountState> kept = projection.accountsMatching(hash -> (hash & 1) == 0);

        projection.dropMatching(hash -> (hash & 1) == 1); // the segment went to another process
        ScoringProjection onlyKept = new ScoringProjection(definition);
        onlyKept.restore(kept);

        assertThat(percentilesOfEveryAccount(projection)).isEqualTo(percentilesOfEveryAccount(onlyKept));
    }

    private ScoringProjection projectionOf(SampleHistory history) {
        ScoringProjection projection = new ScoringProjection(definition);
        long position = 0;
        for (EventEnvelope envelope : history.events()) {
            projection.apply(new StoredEvent(StreamIds.forAccount(envelope.getAccountId()), 0, ++position, envelope));
        }
        return projection;
    }

    private static List<String> percentilesOfEveryAccount(ScoringProjection projection) {
        var view = projection.viewAt(AT);
        var percentiles = view.percentiles();
        return view.summaries().stream()
                .sorted(java.util.Comparator.comparing(AccountSummary::accountId))
                .map(s -> s.accountId() + "=" + percentiles.ofMember(s.cohort(), s.engagementScore()))
                .toList();
    }
}
