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
 * A restarted projection gets its segments back one by one (each loads its checkpoint when claimed,
 * then replays what followed it). Given the log head recorded at start, it is ready only when every
 * segment it should hold is back and has applied the log up to that head.
 */
class ProjectionReadinessTest {

    private static final long AT = pql.scoring.testing.SampleHistory.AFTER_ALL_MILLIS;

    private static final long HEAD_AT_START = 1_000;

    private final CompiledDefinition definition =
            new CompiledDefinition(1, DefinitionPresets.forComplexity(ProductComplexity.INTERMEDIATE));
    private final ScoringProjection followed = Projections.of(SampleHistory.generate(31, 40, 30), definition);
    private final List<AccountState> evenSegment = new ArrayList<>();
    private final List<AccountState> oddSegment = new ArrayList<>();

    ProjectionReadinessTest() {
        for (AccountState state : followed.accounts()) {
            ((state.streamHash() & 1) == 0 ? evenSegment : oddSegment).add(state);
        }
    }

    @Test
    void givenOneOfTwoSegmentsBackAndCaughtUp_whenAsked_thenNotReadyAndTheLagLooksComplete() {
        ScoringProjection restarted = twoSegmentProjection();
        restoreSegment(restarted, 0, evenSegment, HEAD_AT_START);

        ProjectionReadiness readiness = new ProjectionReadiness(restarted, HEAD_AT_START);

        assertThat(readiness.isReady()).isFalse();
        assertThat(readiness.check().message()).contains("restoring", "1 of 2 segments caught up to position 1000",
                "1 segment not claimed or restored yet", "reads answer UNAVAILABLE");
        // the position a caller would take for "everything up to here is in": nothing yet
        assertThat(restarted.processedPosition()).isZero();
    }

    @Test
    void givenBothSegmentsBackButOneBehindTheHeadAtStart_whenAsked_thenNotReady() {
        ScoringProjection restarted = twoSegmentProjection();
        restoreSegment(restarted, 0, evenSegment, HEAD_AT_START);
        restoreSegment(restarted, 1, oddSegment, 600);

        ProjectionReadiness readiness = new ProjectionReadiness(restarted, HEAD_AT_START);

        assertThat(readiness.isReady()).isFalse();
        assertThat(readiness.check().message()).contains("1 of 2 segments caught up to position 1000",
                "the slowest is at position 600");
        assertThat(restarted.processedPosition()).isEqualTo(600);
    }

    @Test
    void givenEverySegmentCaughtUp_whenAsked_thenReadyWithPercentilesOverEveryAccount() {
        ScoringProjection restarted = twoSegmentProjection();
        restoreSegment(restarted, 0, evenSegment, HEAD_AT_START);
        ProjectionReadiness readiness = new ProjectionReadiness(restarted, HEAD_AT_START);
        assertThat(readiness.isReady()).isFalse();
        restarted.viewAt(AT); // built by someone while only the first segment was back
        restoreSegment(restarted, 1, oddSegment, 600);
        assertThat(readiness.isReady()).isFalse();

        restarted.recordSegmentPosition(1, HEAD_AT_START + 5); // the replay after its checkpoint got there

        assertThat(readiness.isReady()).isTrue();
        assertThat(readiness.check().message()).contains("ready: 2 of 2 segments caught up to position 1000");
        // no maintenance tick in between: becoming ready rebuilt them
        assertThat(percentilesOfEveryAccount(restarted, AT))
                .isEqualTo(percentilesOfEveryAccount(followed, AT));
    }

    @Test
    void givenReady_whenASegmentGoesAwayLater_thenStillReady() {
        ScoringProjection restarted = twoSegmentProjection();
        restoreSegment(restarted, 0, evenSegment, HEAD_AT_START);
        restoreSegment(restarted, 1, oddSegment, HEAD_AT_START);
        ProjectionReadiness readiness = new ProjectionReadiness(restarted, HEAD_AT_START);
        assertThat(readiness.isReady()).isTrue();

        restarted.releaseSegment(1);

        assertThat(readiness.isReady()).isTrue();
    }

    @Test
    void givenASharedMembership_whenItsFairShareIsBack_thenReady() {
        ScoringProjection restarted = new ScoringProjection(definition);
        restarted.expectSegments(() -> 1); // two processes split two segments
        restoreSegment(restarted, 1, oddSegment, HEAD_AT_START);

        assertThat(new ProjectionReadiness(restarted, HEAD_AT_START).isReady()).isTrue();
    }

    @Test
    void givenAnEmptyLog_whenTheSegmentsAreClaimed_thenReady() {
        ScoringProjection fresh = twoSegmentProjection();
        ProjectionReadiness readiness = new ProjectionReadiness(fresh, pql.eventstore.StreamVersions.BEFORE_FIRST_POSITION);
        assertThat(readiness.isReady()).isFalse();

        restoreSegment(fresh, 0, List.of(), pql.eventstore.StreamVersions.BEFORE_FIRST_POSITION);
        restoreSegment(fresh, 1, List.of(), pql.eventstore.StreamVersions.BEFORE_FIRST_POSITION);

        assertThat(readiness.isReady()).isTrue();
    }

    private ScoringProjection twoSegmentProjection() {
        ScoringProjection projection = new ScoringProjection(definition);
        projection.expectSegments(() -> 2);
        return projection;
    }

    /** What the processor does when it claims a segment and loads its checkpoint. */
    private static void restoreSegment(ScoringProjection projection, int segmentId, List<AccountState> accounts,
            long position) {
        projection.holdSegment(segmentId, 1);
        projection.restore(accounts);
        projection.recordSegmentPosition(segmentId, position);
    }
}
