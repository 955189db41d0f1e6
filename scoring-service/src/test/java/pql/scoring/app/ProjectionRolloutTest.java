package pql.scoring.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.scoring.domain.ProductComplexity;
import pql.scoring.domain.TransitionKind;
import pql.scoring.domain.score.PqlTransition;
import pql.v1.OpportunitySize;

/**
 * The platform team's flow at the use-case level, on the embedded store: publish v2, rescore the
 * history under it beside v1, diff, then promote (or discard), and the refusals on the way.
 *
 * <p>Given: v1 is the intermediate preset (MID accounts qualify at 50% activation), v2 the complex
 * one (MID at 25%, SMALL at 50%). Accounts "quiet-a" and "quiet-b" (MID, 2 of 6 steps) qualify
 * only under v2; "busy" (MID, 4 of 6) under both; "idle" (SMALL, 1 of 6) under neither.
 */
class ProjectionRolloutTest {

    @TempDir
    Path directory;

    private ScoringUseCases scoring;
    private int v2;

    @BeforeEach
    void given() {
        scoring = new ScoringUseCases(directory);
        scoring.account("quiet-a").stepsDone(2).append();
        scoring.account("quiet-b").stepsDone(2).append();
        scoring.account("busy").stepsDone(4).append();
        scoring.account("idle").size(OpportunitySize.OPPORTUNITY_SIZE_SMALL).stepsDone(1).append();
        scoring.projections.start();
        v2 = scoring.registry.publish(ScoringUseCases.preset(ProductComplexity.COMPLEX), "platform-team").version();
    }

    @AfterEach
    void close() {
        scoring.close();
    }

    private boolean isPqlUnderServingVersion(String accountId) {
        return scoring.queries.accountScore(accountId, null, 0, false).pql().isPql();
    }

    @Test
    void theFirstStartServesVersionOneOverTheWholeHistory() {
        assertThat(scoring.projections.servingVersion()).isEqualTo(1);
        assertThat(scoring.projections.serving().accountCount()).isEqualTo(4);
        assertThat(scoring.projections.serving().eventsApplied()).as("profile and actions of each account")
                .isEqualTo(3 + 3 + 8 + 2);
        assertThat(scoring.projections.statusOf(scoring.registry.get(1).orElseThrow())).isEqualTo(DefinitionStatus.ACTIVE);
        assertThat(scoring.projections.statusOf(scoring.registry.get(v2).orElseThrow()))
                .isEqualTo(DefinitionStatus.PUBLISHED);
        assertThat(isPqlUnderServingVersion("busy")).isTrue();
        assertThat(isPqlUnderServingVersion("quiet-a")).isFalse();
    }

    @Test
    void historyReplayedAtStartIsNotAlertedButEventsAppendedLaterAre() {
        assertThat(scoring.published).as("the history's transitions are not news").isEmpty();

        scoring.account("late").stepsDone(4).append();
        scoring.engine.catchUp();

        assertThat(scoring.published).extracting(t -> t.accountId() + " " + t.kind())
                .containsExactly("late " + TransitionKind.BECAME_PQL);
    }

    @Test
    void aRescoreReplaysTheWholeLogThenIsReadyWhileVersionOneKeepsServing() {
        scoring.engine.holdNewProjections(true);

        RescoreProgress started = scoring.projections.startRescore(v2);

        assertThat(started.status()).isEqualTo(DefinitionStatus.REPLAYING);
        assertThat(started.eventsTotal()).isEqualTo(scoring.store.headPosition());
        assertThat(started.eventsDone()).isZero();
        assertThat(scoring.projections.statusOf(scoring.registry.get(v2).orElseThrow()))
                .isEqualTo(DefinitionStatus.REPLAYING);
        assertThat(scoring.projections.materialized(v2)).as("not readable while replaying").isEmpty();

        scoring.engine.catchUp();

        RescoreProgress ready = scoring.projections.rescoreProgress(v2);
        assertThat(ready.status()).isEqualTo(DefinitionStatus.READY);
        assertThat(ready.eventsDone()).isEqualTo(ready.eventsTotal());
        assertThat(ready.etaSeconds()).isZero();
        assertThat(ready.caughtUpAtMillis()).isEqualTo(ScoringUseCases.NOW.toEpochMilli());
        assertThat(scoring.projections.materialized(v2)).isPresent();
        assertThat(scoring.projections.servingVersion()).isEqualTo(1);
        assertThat(scoring.projections.activeRescores()).extracting(RescoreProgress::version).containsExactly(v2);
    }

    @Test
    void theDiffNamesExactlyTheAccountsWhosePqlStatusChanged() {
        scoring.projections.startRescore(v2);

        RescoreDiff diff = scoring.projections.diff(v2, 100, null);

        assertThat(diff.baselineVersion()).isEqualTo(1);
        assertThat(diff.candidateVersion()).isEqualTo(v2);
        assertThat(diff.accountsCompared()).isEqualTo(4);
        assertThat(diff.accountsChanged()).isEqualTo(2);
        assertThat(diff.pqlGained()).isEqualTo(2);
        assertThat(diff.pqlLost()).isZero();
        assertThat(diff.changes()).extracting(RescoreDiff.Change::accountId).containsExactly("quiet-a", "quiet-b");
        assertThat(diff.changes()).allSatisfy(change -> {
            assertThat(change.before().isPql()).isFalse();
            assertThat(change.after().isPql()).isTrue();
        });
        assertThat(diff.nextAccountId()).isNull();
    }

    @Test
    void theDiffPagesByAccountIdWithTheSameTotalsOnEveryPage() {
        scoring.projections.startRescore(v2);

        RescoreDiff first = scoring.projections.diff(v2, 1, null);
        RescoreDiff second = scoring.projections.diff(v2, 1, first.nextAccountId());

        assertThat(first.changes()).extracting(RescoreDiff.Change::accountId).containsExactly("quiet-a");
        assertThat(first.nextAccountId()).isEqualTo("quiet-a");
        assertThat(second.changes()).extracting(RescoreDiff.Change::accountId).containsExactly("quiet-b");
        assertThat(second.nextAccountId()).isNull();
        assertThat(second.accountsChanged()).isEqualTo(first.accountsChanged()).isEqualTo(2);
    }

    @Test
    void promotingMakesTheRescoredVersionServeAndRetiresTheOldOne() {
        scoring.projections.startRescore(v2);

        DefinitionRecord promoted = scoring.projections.promote(v2, "platform-team");

        assertThat(promoted.version()).isEqualTo(v2);
        assertThat(promoted.activatedBy()).isEqualTo("platform-team");
        assertThat(scoring.registry.activeVersion()).isEqualTo(v2);
        assertThat(scoring.projections.servingVersion()).isEqualTo(v2);
        assertThat(isPqlUnderServingVersion("quiet-a")).as("queries answer under v2").isTrue();
        assertThat(isPqlUnderServingVersion("idle")).isFalse();
        assertThat(scoring.projections.statusOf(promoted)).isEqualTo(DefinitionStatus.ACTIVE);
        assertThat(scoring.projections.statusOf(scoring.registry.get(1).orElseThrow())).isEqualTo(DefinitionStatus.RETIRED);
        assertThat(scoring.engine.isRunning("scoring-v1")).as("kept for a rollback (keepRetired = 1)").isTrue();
        RescoreProgress kept = scoring.projections.rescoreProgress(1);
        assertThat(kept.status()).isEqualTo(DefinitionStatus.RETIRED);
        assertThat(kept.eventsTotal()).as("a kept projection reports the events it follows").isPositive();
        assertThat(scoring.projections.rescoreProgress(v2).status()).isEqualTo(DefinitionStatus.ACTIVE);
        assertThat(scoring.projections.activeRescores()).isEmpty();
    }

    @Test
    void promotingTheRetiredVersionBackIsARollbackWithoutARescore() {
        scoring.projections.startRescore(v2);
        scoring.projections.promote(v2, "platform-team");
        scoring.account("late-busy").stepsDone(4).append();
        scoring.engine.catchUp();

        DefinitionRecord rolledBack = scoring.projections.promote(1, "platform-team");

        assertThat(rolledBack.version()).isEqualTo(1);
        assertThat(scoring.registry.activeVersion()).isEqualTo(1);
        assertThat(scoring.projections.servingVersion()).isEqualTo(1);
        assertThat(isPqlUnderServingVersion("quiet-a")).as("scored under v1 again").isFalse();
        assertThat(isPqlUnderServingVersion("late-busy")).as("the kept projection followed the log").isTrue();
        assertThat(scoring.projections.statusOf(scoring.registry.get(v2).orElseThrow())).isEqualTo(DefinitionStatus.RETIRED);
        assertThat(scoring.projections.materialized(v2)).as("v2 kept in turn").isPresent();
        assertThat(scoring.published).as("only the serving v2 alerted, the retired v1 did not")
                .extracting(PqlTransition::definitionVersion).containsOnly(v2);
    }

    @Test
    void aRetiredVersionStaysReadableForComparisons() {
        scoring.projections.startRescore(v2);
        scoring.projections.promote(v2, "platform-team");

        // the forecast's comparison lists every account under both versions (CompareForecast(1, 2))
        ScoreQueries.ScorePage v1 = scoring.queries.list(AccountFilter.ALL, AccountOrder.ACCOUNT_ID, 10, null, 1, false, null);
        ScoreQueries.ScorePage current = scoring.queries.list(AccountFilter.ALL, AccountOrder.ACCOUNT_ID, 10, null, v2, false, null);

        assertThat(v1.version()).isEqualTo(1);
        assertThat(v1.scores()).filteredOn(score -> score.pql().isPql()).extracting(score -> score.accountId())
                .containsExactly("busy");
        assertThat(current.scores()).filteredOn(score -> score.pql().isPql()).extracting(score -> score.accountId())
                .containsExactly("busy", "quiet-a", "quiet-b");
    }

    @Test
    void onlyTheConfiguredNumberOfRetiredVersionsIsKept() {
        int v3 = scoring.registry.publish(ScoringUseCases.preset(ProductComplexity.SIMPLE), "platform-team").version();
        scoring.projections.startRescore(v2);
        scoring.projections.promote(v2, "platform-team");
        scoring.projections.startRescore(v3);
        scoring.projections.promote(v3, "platform-team");

        assertThat(scoring.projections.materialized(v2)).isPresent();
        assertThat(scoring.projections.materialized(1)).isEmpty();
        assertThat(scoring.engine.isRunning("scoring-v1")).isFalse();
        assertThatThrownBy(() -> scoring.projections.promote(1, "platform-team"))
                .isInstanceOf(ScoringException.FailedPrecondition.class)
                .hasMessage("version 1 has no rescore; start one first (its projection was not kept since its retirement)");
        assertThatThrownBy(() -> scoring.projections.startRescore(v2))
                .isInstanceOf(ScoringException.FailedPrecondition.class)
                .hasMessage("version " + v2 + " is retired and its projection kept up to date: promote it directly");

        scoring.projections.startRescore(1);
        scoring.projections.promote(1, "platform-team");
        assertThat(scoring.projections.servingVersion()).isEqualTo(1);
    }

    @Test
    void withNoRetiredVersionsKeptTheOldProjectionStopsAndARollbackRescoresFirst() {
        scoring.close();
        scoring = new ScoringUseCases(directory.resolve("none-kept"), 1, 0);
        scoring.account("quiet-a").stepsDone(2).append();
        scoring.projections.start();
        v2 = scoring.registry.publish(ScoringUseCases.preset(ProductComplexity.COMPLEX), "platform-team").version();
        scoring.projections.startRescore(v2);
        scoring.projections.promote(v2, "platform-team");

        assertThat(scoring.engine.isRunning("scoring-v1")).isFalse();
        assertThat(scoring.engine.remembered()).containsExactly("scoring-v" + v2);
        assertThatThrownBy(() -> scoring.projections.promote(1, "platform-team"))
                .isInstanceOf(ScoringException.FailedPrecondition.class)
                .hasMessage("version 1 has no rescore; start one first (its projection was not kept since its retirement)");
        scoring.projections.startRescore(1); // a rollback rescores first
        scoring.projections.promote(1, "platform-team");
        assertThat(scoring.projections.rescoreProgress(v2).eventsTotal()).as("retired, not kept: no events to report").isZero();
        assertThatThrownBy(() -> scoring.projections.promote(v2, "platform-team"))
                .isInstanceOf(ScoringException.FailedPrecondition.class)
                .hasMessageEndingWith("(its projection was not kept since its retirement)");
        scoring.projections.startRescore(v2);
        assertThat(scoring.projections.promote(v2, "platform-team").version()).isEqualTo(v2);
    }

    @Test
    void afterPromotionNewEventsAreScoredAndAlertedUnderTheNewVersion() {
        scoring.projections.startRescore(v2);
        scoring.projections.promote(v2, "platform-team");

        scoring.account("newcomer").stepsDone(2).append();
        scoring.engine.catchUp();

        assertThat(isPqlUnderServingVersion("newcomer")).isTrue();
        assertThat(scoring.published).singleElement().satisfies(transition -> {
            assertThat(transition.accountId()).isEqualTo("newcomer");
            assertThat(transition.definitionVersion()).isEqualTo(v2);
        });
    }

    @Test
    void promotingBeforeTheRescoreCaughtUpIsRefusedAndVersionOneKeepsServing() {
        scoring.engine.holdNewProjections(true);
        scoring.projections.startRescore(v2);
        long head = scoring.store.headPosition();

        assertThatThrownBy(() -> scoring.projections.promote(v2, "platform-team"))
                .isInstanceOf(ScoringException.FailedPrecondition.class)
                .hasMessage("the rescore of version " + v2 + " is still replaying (0 of " + head + " events)");
        assertThatThrownBy(() -> scoring.projections.diff(v2, 10, null))
                .isInstanceOf(ScoringException.FailedPrecondition.class);

        assertThat(scoring.registry.activeVersion()).isEqualTo(1);
        assertThat(scoring.projections.servingVersion()).isEqualTo(1);
    }

    @Test
    void promotingOrDiffingAVersionThatWasNeverRescoredIsRefused() {
        assertThatThrownBy(() -> scoring.projections.promote(v2, "platform-team"))
                .isInstanceOf(ScoringException.FailedPrecondition.class)
                .hasMessage("version " + v2 + " has no rescore; start one first");
        assertThatThrownBy(() -> scoring.projections.diff(v2, 10, null))
                .isInstanceOf(ScoringException.FailedPrecondition.class)
                .hasMessage("version " + v2 + " has no rescore; start one first");
        assertThat(scoring.registry.activeVersion()).isEqualTo(1);
    }

    @Test
    void everyOperationOnAnUnknownVersionIsNotFound() {
        String message = "definition version 9 does not exist";
        assertThatThrownBy(() -> scoring.projections.startRescore(9)).isInstanceOf(ScoringException.NotFound.class)
                .hasMessage(message);
        assertThatThrownBy(() -> scoring.projections.rescoreProgress(9)).isInstanceOf(ScoringException.NotFound.class)
                .hasMessage(message);
        assertThatThrownBy(() -> scoring.projections.diff(9, 10, null)).isInstanceOf(ScoringException.NotFound.class)
                .hasMessage(message);
        assertThatThrownBy(() -> scoring.projections.promote(9, "ana")).isInstanceOf(ScoringException.NotFound.class)
                .hasMessage(message);
        assertThatThrownBy(() -> scoring.projections.discard(9)).isInstanceOf(ScoringException.NotFound.class)
                .hasMessage(message);
        assertThatThrownBy(() -> scoring.projections.resolve(9)).isInstanceOf(ScoringException.NotFound.class)
                .hasMessage(message);
    }

    @Test
    void theActiveVersionCannotBeRescoredAndARescoreCannotBeStartedTwice() {
        assertThatThrownBy(() -> scoring.projections.startRescore(1))
                .isInstanceOf(ScoringException.FailedPrecondition.class)
                .hasMessage("version 1 is active: nothing to rescore");

        scoring.engine.holdNewProjections(true);
        scoring.projections.startRescore(v2);

        assertThatThrownBy(() -> scoring.projections.startRescore(v2))
                .isInstanceOf(ScoringException.FailedPrecondition.class)
                .hasMessage("version " + v2 + " is already replaying");
    }

    @Test
    void onlyAsManyRescoresRunAsConfigured() {
        int v3 = scoring.registry.publish(ScoringUseCases.preset(ProductComplexity.SIMPLE), "platform-team").version();
        scoring.projections.startRescore(v2);

        assertThatThrownBy(() -> scoring.projections.startRescore(v3))
                .isInstanceOf(ScoringException.FailedPrecondition.class)
                .hasMessageStartingWith("another rescore is running (versions [" + v2 + "])");

        scoring.projections.discard(v2);
        assertThat(scoring.projections.startRescore(v3).version()).isEqualTo(v3);
    }

    @Test
    void discardingDropsTheShadowAndTheVersionStaysPublished() {
        scoring.projections.startRescore(v2);

        RescoreProgress discarded = scoring.projections.discard(v2);

        assertThat(discarded.status()).isEqualTo(DefinitionStatus.PUBLISHED);
        assertThat(scoring.engine.isRunning("scoring-v" + v2)).isFalse();
        assertThat(scoring.engine.remembered()).containsExactly("scoring-v1");
        assertThat(scoring.projections.materialized(v2)).isEmpty();
        assertThat(scoring.projections.servingVersion()).isEqualTo(1);
        assertThat(scoring.registry.get(v2)).isPresent();
        assertThatThrownBy(() -> scoring.projections.discard(v2))
                .isInstanceOf(ScoringException.FailedPrecondition.class)
                .hasMessage("version " + v2 + " has no rescore to discard");
        assertThatThrownBy(() -> scoring.projections.promote(v2, "platform-team"))
                .isInstanceOf(ScoringException.FailedPrecondition.class);
    }

    @Test
    void aRestartServesTheActiveVersionAndForgetsTheCheckpointsOfOtherProjections() {
        scoring.projections.startRescore(v2);
        scoring.projections.promote(v2, "platform-team");
        scoring.projections.close();
        scoring.engine.rememberCheckpointsOf("scoring-v1");
        scoring.engine.rememberCheckpointsOf("scoring-v5");

        ProjectionRollout restarted = new ProjectionRollout(scoring.registry, scoring.engine, scoring.published::add,
                scoring.clock, 1);
        restarted.start();

        assertThat(restarted.servingVersion()).isEqualTo(v2);
        assertThat(scoring.engine.remembered()).containsExactly("scoring-v" + v2);
        restarted.close();
    }

    @Test
    void beforeStartNothingServes() {
        ProjectionRollout notStarted = new ProjectionRollout(scoring.registry, scoring.engine, t -> { },
                scoring.clock, 1);

        assertThatThrownBy(notStarted::serving)
                .isInstanceOf(ScoringException.FailedPrecondition.class)
                .hasMessage("the scoring projection is not started");
    }
}
