package pql.scoring.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pql.eventstore.StoredEvent;
import pql.eventstore.StreamIds;
import pql.scoring.domain.ProductComplexity;
import pql.scoring.domain.definition.CompiledDefinition;
import pql.scoring.domain.definition.DefinitionPresets;
import pql.scoring.domain.score.PqlTransition;
import pql.scoring.testing.SampleHistory;
import pql.v1.ProductAction;

/**
 * The clock's side of time-driven transitions in a projection: a tick takes only the accounts whose
 * timer is due, the changes it finds reach the ring of recent transitions, and only those after the
 * first tick are news for the live listener (the rest happened before the projection served).
 *
 * <p>Given (intermediate preset, engagement HIGH >= 100 in a 30-day window, 14-day half-life):
 * "early" created 40 reports on day 0, "late" on day 20, "idle" only logged in (never engaged).
 */
class StatusTimersTest {

    private static final Instant DAY_0 = Instant.parse("2026-01-01T00:00:00Z");

    private final ScoringProjection projection = new ScoringProjection(new CompiledDefinition(1,
            DefinitionPresets.forComplexity(ProductComplexity.INTERMEDIATE)));
    private final List<PqlTransition> published = new CopyOnWriteArrayList<>();
    private long position;

    @BeforeEach
    void given() {
        reports("early", DAY_0);
        reports("late", DAY_0.plus(Duration.ofDays(20)));
        apply("idle", DAY_0, "login");
        projection.publishTransitions(published::add, position);
        projection.recordSegmentPosition(0, position);
    }

    private void reports(String accountId, Instant at) {
        for (int i = 0; i < 40; i++) {
            apply(accountId, at.plusSeconds(i), "report_created");
        }
    }

    private void apply(String accountId, Instant at, String action) {
        var envelope = SampleHistory.envelope(accountId, (int) position, at,
                ProductAction.newBuilder().setUserId("u1").setAction(action).build());
        projection.apply(new StoredEvent(StreamIds.forAccount(accountId), 0, ++position, envelope));
    }

    private static long day(int day) {
        return DAY_0.plus(Duration.ofDays(day)).toEpochMilli();
    }

    @Test
    void onlyEngagedAccountsHaveATimerAndEachChangeComesOnceAtItsInstant() {
        assertThat(projection.caughtUpSinceServing()).isTrue();
        assertThat(projection.statusTimersPending()).as("early and late; idle can only stay LOW").isEqualTo(2);

        int first = projection.applyStatusTimers(day(25)); // the projection starts serving on day 25
        int later = projection.applyStatusTimers(day(90));

        assertThat(first).as("early fell from HIGH to MEDIUM (and LOW) before day 25").isGreaterThan(0);
        assertThat(published).as("what happened before the first tick is history, not news")
                .allSatisfy(t -> assertThat(t.at()).isGreaterThan(day(25)));
        assertThat(published).hasSize(later).isNotEmpty()
                .allSatisfy(t -> assertThat(t.timeDriven()).isTrue());
        assertThat(published).extracting(PqlTransition::accountId).contains("late").doesNotContain("idle");
        List<PqlTransition> recent = projection.recentTransitions(1000, null);
        assertThat(recent.stream().filter(PqlTransition::timeDriven).count()).isEqualTo(first + later);
        assertThat(projection.applyStatusTimers(day(91))).as("nothing twice").isZero();
        assertThat(projection.statusTimersPending()).as("all LOW now: nothing can fall further").isZero();
    }

    @Test
    void aTickBeforeTheProjectionCaughtUpIsNotItsToDecide() {
        ScoringProjection replaying = new ScoringProjection(new CompiledDefinition(1,
                DefinitionPresets.forComplexity(ProductComplexity.INTERMEDIATE)));
        replaying.publishTransitions(published::add, 1_000);
        replaying.recordSegmentPosition(0, 10);

        assertThat(replaying.caughtUpSinceServing()).isFalse();
    }
}
