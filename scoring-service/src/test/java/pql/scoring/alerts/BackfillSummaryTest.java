package pql.scoring.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import pql.scoring.domain.PqlKind;
import pql.scoring.domain.TransitionKind;

class BackfillSummaryTest {

    @Test
    void givenABackfillOfOldTransitions_whenTheyStopForTheQuietPeriod_thenOneSummaryCountsDistinctAccountsAndTheRange() {
        BackfillSummary summary = new BackfillSummary(Duration.ofSeconds(30));
        for (int i = 0; i < 1_000; i++) {
            summary.add(Transitions.becamePql("a-" + (i % 250), 1_000_000L + i, PqlKind.CRITERIA_MET), 5_000 + i);
        }
        summary.add(Transitions.transition("a-1", TransitionKind.NO_LONGER_PQL, 500_000, 1, 0, null), 6_000);

        assertThat(summary.takeIfQuiet(6_000 + 29_999)).as("not quiet yet").isEmpty();
        BackfillSummary.Summary taken = summary.takeIfQuiet(6_000 + 30_000).orElseThrow();

        assertThat(taken.accountsBecamePql()).isEqualTo(250);
        assertThat(taken.transitions()).isEqualTo(1_001);
        assertThat(taken.byKind()).containsEntry(TransitionKind.BECAME_PQL, 1_000L)
                .containsEntry(TransitionKind.NO_LONGER_PQL, 1L);
        assertThat(taken.fromMillis()).isEqualTo(500_000);
        assertThat(taken.toMillis()).isEqualTo(1_000_999);
        assertThat(summary.takeIfQuiet(1_000_000)).as("at most one summary for one backfill").isEmpty();
    }

    @Test
    void givenNothingOld_thenThereIsNoSummary() {
        assertThat(new BackfillSummary(Duration.ZERO).takeIfQuiet(Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void theSummaryMessageSaysHowManyAccountsBecamePqlsAndWhen() {
        var message = new AlertMessages("").summary(new BackfillSummary.Summary(1234, 5000,
                java.util.Map.of(TransitionKind.BECAME_PQL, 1300L), 0, 86_400_000L), Subscription.Format.SLACK);
        assertThat(message).contains("1,234 accounts became PQLs in backfilled history between 1970-01-01T00:00:00Z"
                + " and 1970-01-02T00:00:00Z");
    }
}
