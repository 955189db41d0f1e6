package pql.scoring.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.scoring.domain.OpportunitySize;
import pql.scoring.domain.Plan;
import pql.scoring.domain.ProductComplexity;
import pql.scoring.domain.score.AccountScore;

/**
 * Reads of scores at the use-case level, on the embedded store: filters, orders, keyset paging,
 * reads as of an instant and of versions that are not materialised, exports.
 *
 * <p>Given (v1, the intermediate preset: MID qualifies at 50%, LARGE at 25%), in log order:
 * a1 MID owner-a trial 6/6 steps (PQL), a2 MID owner-b freemium 4/6 (PQL), a3 LARGE owner-a 1/6,
 * a4 MID owner-b 2/6, a5 MID owner-a 4/6 (PQL).
 */
class ScoreQueriesTest {

    @TempDir
    Path directory;

    private ScoringUseCases scoring;
    private List<java.time.Instant> a1Steps;

    @BeforeEach
    void given() {
        scoring = new ScoringUseCases(directory);
        a1Steps = scoring.account("a1").stepsDone(6).append();
        scoring.account("a2").owner("owner-b").plan(pql.v1.Plan.PLAN_FREEMIUM).stepsDone(4).append();
        scoring.account("a3").size(pql.v1.OpportunitySize.OPPORTUNITY_SIZE_LARGE).stepsDone(1).append();
        scoring.account("a4").owner("owner-b").stepsDone(2).append();
        scoring.account("a5").stepsDone(4).append();
        scoring.projections.start();
    }

    @AfterEach
    void close() {
        scoring.close();
    }

    private static AccountFilter filter(boolean pqlOnly, Set<String> owners, Set<OpportunitySize> sizes, Set<Plan> plans) {
        return new AccountFilter(pqlOnly, Set.of(), sizes, owners, plans, Set.of(), Set.of(), Set.of(), false);
    }

    private List<String> listed(AccountFilter filter, AccountOrder order) {
        return ids(scoring.queries.list(filter, order, 100, null, 0, false, null).scores());
    }

    private static List<String> ids(List<AccountScore> scores) {
        return scores.stream().map(AccountScore::accountId).toList();
    }

    @Test
    void theSpectrumByActivationIsDescendingWithTiesByAccountId() {
        assertThat(listed(AccountFilter.ALL, AccountOrder.ACTIVATION_DESC)).containsExactly("a1", "a2", "a5", "a4", "a3");
        assertThat(listed(AccountFilter.ALL, AccountOrder.ACCOUNT_ID)).containsExactly("a1", "a2", "a3", "a4", "a5");
    }

    @Test
    void filtersKeepOnlyTheAccountsThatMatchEveryOne() {
        assertThat(listed(filter(true, Set.of(), Set.of(), Set.of()), AccountOrder.ACCOUNT_ID))
                .containsExactly("a1", "a2", "a5");
        assertThat(listed(filter(false, Set.of("owner-b"), Set.of(), Set.of()), AccountOrder.ACCOUNT_ID))
                .containsExactly("a2", "a4");
        assertThat(listed(filter(false, Set.of(), Set.of(OpportunitySize.LARGE), Set.of()), AccountOrder.ACCOUNT_ID))
                .containsExactly("a3");
        assertThat(listed(filter(false, Set.of(), Set.of(), Set.of(Plan.FREEMIUM)), AccountOrder.ACCOUNT_ID))
                .containsExactly("a2");
        assertThat(listed(filter(true, Set.of("owner-a"), Set.of(OpportunitySize.MID), Set.of()), AccountOrder.ACCOUNT_ID))
                .containsExactly("a1", "a5");
    }

    @Test
    void pagesFollowEachOtherWithoutGapsOrRepeatsAndCountEveryMatch() {
        List<String> seen = new ArrayList<>();
        ScoreQueries.Cursor cursor = null;
        int pages = 0;
        do {
            ScoreQueries.ScorePage page = scoring.queries.list(AccountFilter.ALL, AccountOrder.ACTIVATION_DESC, 2, cursor,
                    0, false, null);
            assertThat(page.totalSize()).isEqualTo(5);
            assertThat(page.version()).isEqualTo(1);
            assertThat(page.scores()).hasSizeLessThanOrEqualTo(2);
            seen.addAll(ids(page.scores()));
            cursor = page.next();
            pages++;
        } while (cursor != null);

        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly("a1", "a2", "a5", "a4", "a3");
    }

    @Test
    void oneAccountIsReadAsOfAnInstantFromItsOwnStream() {
        long afterTwoSteps = a1Steps.get(1).toEpochMilli();

        AccountScore then = scoring.queries.accountScore("a1", afterTwoSteps, 0, true);
        AccountScore now = scoring.queries.accountScore("a1", null, 0, true);

        assertThat(then.asOf()).isEqualTo(afterTwoSteps);
        assertThat(then.activation().rate()).isEqualTo(2.0 / 6);
        assertThat(then.activation().steps()).filteredOn(AccountScore.StepState::done).hasSize(2);
        assertThat(then.pql().isPql()).isFalse();
        assertThat(now.activation().rate()).isEqualTo(1.0);
        assertThat(now.pql().isPql()).isTrue();
    }

    @Test
    void aBasicReadLeavesOutTheChecklistAndAFullOneHasEveryStep() {
        assertThat(scoring.queries.accountScore("a4", null, 0, false).activation().steps()).isEmpty();
        assertThat(scoring.queries.accountScore("a4", null, 0, true).activation().steps()).hasSize(6)
                .filteredOn(AccountScore.StepState::done).extracting(AccountScore.StepState::key)
                .containsExactly("workspace_created", "data_connected");
    }

    @Test
    void anAccountWithoutEventsIsNotFoundNowAndBeforeItsFirstEvent() {
        assertThatThrownBy(() -> scoring.queries.accountScore("nobody", null, 0, false))
                .isInstanceOf(ScoringException.NotFound.class)
                .hasMessage("account nobody has no events");
        long beforeTheTrial = ScoringUseCases.TRIAL_START.minus(Duration.ofMinutes(1)).toEpochMilli();
        assertThatThrownBy(() -> scoring.queries.accountScore("a1", beforeTheTrial, 0, false))
                .isInstanceOf(ScoringException.NotFound.class)
                .hasMessage("account a1 has no events as of " + ScoringUseCases.TRIAL_START.minus(Duration.ofMinutes(1)));
    }

    @Test
    void aPublishedVersionAnswersForOneAccountButListsOnlyOnceRescored() {
        int v2 = scoring.registry.publish(ScoringUseCases.preset(ProductComplexity.COMPLEX), "platform-team").version();

        AccountScore underV2 = scoring.queries.accountScore("a3", null, v2, false);

        assertThat(underV2.definitionVersion()).isEqualTo(v2);
        assertThat(underV2.pql().isPql()).as("LARGE qualifies at 10% under the complex preset").isTrue();
        assertThat(scoring.queries.accountScore("a3", null, 0, false).pql().isPql()).isFalse();
        assertThatThrownBy(() -> scoring.queries.list(AccountFilter.ALL, AccountOrder.ACCOUNT_ID, 10, null, v2, false, null))
                .isInstanceOf(ScoringException.FailedPrecondition.class)
                .hasMessage("version " + v2 + " is not materialised: rescore it first (or ask for one account)");

        scoring.projections.startRescore(v2);

        ScoreQueries.ScorePage rescored = scoring.queries.list(filter(true, Set.of(), Set.of(), Set.of()),
                AccountOrder.ACCOUNT_ID, 10, null, v2, false, null);
        assertThat(rescored.version()).isEqualTo(v2);
        assertThat(ids(rescored.scores())).containsExactly("a1", "a2", "a3", "a4", "a5");
    }

    @Test
    void anUnknownVersionIsNotFound() {
        assertThatThrownBy(() -> scoring.queries.accountScore("a1", null, 42, false))
                .isInstanceOf(ScoringException.NotFound.class)
                .hasMessage("definition version 42 does not exist");
        assertThatThrownBy(() -> scoring.queries.list(AccountFilter.ALL, AccountOrder.ACCOUNT_ID, 10, null, 42, false, null))
                .isInstanceOf(ScoringException.NotFound.class);
    }

    @Test
    void anExportGivesEveryMatchingAccountByIdAndCanSkipThoseUnchangedSinceAPosition() {
        List<String> exported = new ArrayList<>();
        try (ScoreQueries.Export export = scoring.queries.export(AccountFilter.ALL, 0, null, false, 0)) {
            assertThat(export.headPosition()).isEqualTo(scoring.store.headPosition());
            assertThat(export.version()).isEqualTo(1);
            export.forEachRemaining(chunk -> exported.addAll(ids(chunk)));
        }
        assertThat(exported).containsExactly("a1", "a2", "a3", "a4", "a5");

        long a4Position = scoring.queries.accountScore("a4", null, 0, false).logPosition();
        List<String> changedSince = new ArrayList<>();
        try (ScoreQueries.Export export = scoring.queries.export(AccountFilter.ALL, 0, null, false, a4Position)) {
            export.forEachRemaining(chunk -> changedSince.addAll(ids(chunk)));
        }
        assertThat(changedSince).containsExactly("a5");
    }

    @Test
    void anExportAsOfAnInstantReplaysTheLogUpToThenInATemporaryProjection() {
        long afterFirstStep = ScoringUseCases.TRIAL_START.plus(Duration.ofMinutes(1)).toEpochMilli();
        List<AccountScore> exported = new ArrayList<>();

        try (ScoreQueries.Export export = scoring.queries.export(AccountFilter.ALL, 0, afterFirstStep, false, 0)) {
            export.forEachRemaining(exported::addAll);
        }

        assertThat(ids(exported)).containsExactly("a1", "a2", "a3", "a4", "a5");
        assertThat(exported).allSatisfy(score -> {
            assertThat(score.activation().rate()).isEqualTo(1.0 / 6);
            assertThat(score.asOf()).isEqualTo(afterFirstStep);
        });
        assertThat(scoring.engine.isRunning("scoring-v1-asof-" + afterFirstStep)).as("stopped once replayed").isFalse();
        assertThat(scoring.engine.remembered()).containsExactly("scoring-v1");
    }

    @Test
    void onlyOneExportAsOfAnInstantRunsAtATime() {
        long asOf = ScoringUseCases.TRIAL_START.plus(Duration.ofMinutes(3)).toEpochMilli();
        ScoreQueries.Export first = scoring.queries.export(AccountFilter.ALL, 0, asOf, false, 0);

        assertThatThrownBy(() -> scoring.queries.export(AccountFilter.ALL, 0, asOf, false, 0))
                .isInstanceOf(ScoringException.ResourceExhausted.class)
                .hasMessage("an as-of replay is already running; retry later");

        first.close();
        try (ScoreQueries.Export second = scoring.queries.export(AccountFilter.ALL, 0, asOf, false, 0)) {
            assertThat(second.hasNext()).isTrue();
        }
    }
}
