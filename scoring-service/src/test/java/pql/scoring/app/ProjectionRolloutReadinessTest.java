package pql.scoring.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.scoring.domain.ProductComplexity;

/**
 * The serving projection's readiness through the rollout, as the module uses it: a (re)start is
 * not ready until the projection has applied the log up to its head at start; a promoted version
 * is (it caught up before it could be promoted).
 */
class ProjectionRolloutReadinessTest {

    @TempDir
    Path directory;

    private ScoringUseCases scoring;

    @BeforeEach
    void given() {
        scoring = new ScoringUseCases(directory);
        scoring.account("busy").stepsDone(4).append();
        scoring.account("quiet").stepsDone(2).append();
    }

    @AfterEach
    void close() {
        scoring.close();
    }

    @Test
    void givenAStartWhoseProjectionHasNotReadTheLogYet_whenAsked_thenNotReadyUntilItCaughtUpToTheHeadAtStart() {
        scoring.engine.holdNewProjections(true);
        long headAtStart;

        scoring.projections.start();
        headAtStart = scoring.store.headPosition();

        assertThat(scoring.projections.isReady()).isFalse();
        ProjectionReadiness.Status status = scoring.projections.readiness();
        assertThat(status.ready()).isFalse();
        assertThat(status.message()).contains("definition v1 restoring",
                "0 of 1 segments caught up to position " + headAtStart);

        scoring.account("late").stepsDone(1).append(); // after the start: not waited for
        scoring.engine.catchUp();

        assertThat(scoring.projections.isReady()).isTrue();
        assertThat(scoring.projections.readiness().message()).contains("definition v1 ready");
    }

    @Test
    void givenARestartWithTheProjectionCaughtUpAtOnce_whenAsked_thenReady() {
        scoring.projections.start();

        assertThat(scoring.projections.isReady()).isTrue();
    }

    @Test
    void givenARescoreThatCaughtUp_whenPromoted_thenTheNewServingProjectionIsReadyAtOnce() {
        scoring.projections.start();
        int v2 = scoring.registry.publish(ScoringUseCases.preset(ProductComplexity.COMPLEX), "platform-team").version();
        scoring.projections.startRescore(v2);

        scoring.projections.promote(v2, "platform-team");

        assertThat(scoring.projections.servingVersion()).isEqualTo(v2);
        assertThat(scoring.projections.isReady()).isTrue();
    }

    @Test
    void givenNoStartYet_whenAsked_thenNotReady() {
        assertThat(scoring.projections.isReady()).isFalse();
        assertThat(scoring.projections.readiness().message()).contains("not started");
    }
}
