package pql.scoring.app;

import static org.assertj.core.api.Assertions.assertThat;
import static pql.scoring.testing.Projections.percentilesOfEveryAccount;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import pql.scoring.domain.ProductComplexity;
import pql.scoring.domain.definition.CompiledDefinition;
import pql.scoring.domain.definition.DefinitionPresets;
import pql.scoring.domain.score.AccountState;
import pql.scoring.testing.Projections;
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
        ScoringProjection followed = Projections.of(SampleHistory.generate(21, 40, 30), definition);
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

        assertThat(percentilesOfEveryAccount(restarted, AT))
                .isEqualTo(percentilesOfEveryAccount(followed, AT));
    }

    @Test
    void droppingASegmentsAccountsRebuildsThePercentilesOverTheAccountsLeft() {
        ScoringProjection projection = Projections.of(SampleHistory.generate(22, 40, 30), definition);
        projection.viewAt(AT);
        List<AccountState> kept = projection.accountsMatching(hash -> (hash & 1) == 0);

        projection.dropMatching(hash -> (hash & 1) == 1); // the segment went to another process
        ScoringProjection onlyKept = new ScoringProjection(definition);
        onlyKept.restore(kept);

        assertThat(percentilesOfEveryAccount(projection, AT))
                .isEqualTo(percentilesOfEveryAccount(onlyKept, AT));
    }
}
