package pql.scoring.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.scoring.domain.LeadStatus;
import pql.scoring.domain.Persona;
import pql.scoring.domain.score.AccountScore;
import pql.v1.OutcomeKind;

/**
 * The lead list at the use-case level: status at the evaluation instant, the owner, persona and status
 * filters, and the expected-value order, on the embedded store.
 *
 * <p>Given (v1, the intermediate preset): l1 owner "Ana" 6/6 steps deal 40,000; l2 owner "ana" 4/6 deal
 * 90,000; l3 owner "Bo" 6/6 deal 10,000; l4 owner "Ana" 6/6 deal 500,000 converted an hour after its
 * last action; l5 owner "Ana" 6/6, no deal size.
 */
class LeadListTest {

    @TempDir
    Path directory;

    private ScoringUseCases scoring;
    private List<Instant> l4Steps;

    @BeforeEach
    void given() {
        scoring = new ScoringUseCases(directory);
        scoring.account("l1").owner("Ana").stepsDone(6).dealSize(40_000).append();
        scoring.account("l2").owner("ana").stepsDone(4).dealSize(90_000).append();
        scoring.account("l3").owner("Bo").stepsDone(6).dealSize(10_000).append();
        l4Steps = scoring.account("l4").owner("Ana").stepsDone(6).dealSize(500_000).outcome(OutcomeKind.OUTCOME_KIND_CONVERTED)
                .append();
        scoring.account("l5").owner("Ana").stepsDone(6).append();
        scoring.projections.start();
    }

    @AfterEach
    void close() {
        scoring.close();
    }

    private static AccountFilter leads(Set<String> owners, Set<Persona> personas, Set<LeadStatus> statuses) {
        return new AccountFilter(true, Set.of(), Set.of(), owners, Set.of(), Set.of(), Set.of(), Set.of(), false,
                personas, statuses);
    }

    private List<AccountScore> listed(AccountFilter filter, AccountOrder order, Long asOf) {
        return scoring.queries.list(filter, order, 100, null, 0, false, asOf).scores();
    }

    private static List<String> ids(List<AccountScore> scores) {
        return scores.stream().map(AccountScore::accountId).toList();
    }

    @Test
    void theOpenLeadsOfAnOwnerWhateverTheCaseComeHighestExpectedValueFirstWithoutADealLast() {
        List<AccountScore> leads = listed(leads(Set.of("ANA"), Set.of(), Set.of(LeadStatus.OPEN)),
                AccountOrder.EXPECTED_VALUE_DESC, null);

        assertThat(ids(leads)).as("l4 converted, l3 is Bo's").containsExactlyInAnyOrder("l1", "l2", "l5");
        assertThat(leads.get(leads.size() - 1).accountId()).isEqualTo("l5");
        List<Long> values = leads.stream().map(score -> score.lead().expectedValueMicros())
                .filter(java.util.Objects::nonNull).toList();
        assertThat(values).hasSize(2).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(leads).allSatisfy(score -> {
            assertThat(score.lead().status()).isEqualTo(LeadStatus.OPEN);
            assertThat(score.lead().odds()).isEqualTo(score.lead().persona().seedOdds());
            if (score.profile().dealSizeMicros() != null) {
                assertThat(score.lead().expectedValueMicros())
                        .isEqualTo(Math.round(score.profile().dealSizeMicros() * score.lead().odds()));
            }
        });
    }

    @Test
    void theStatusIsTheAccountsAtTheEvaluationInstant() {
        long beforeTheOutcome = l4Steps.get(l4Steps.size() - 1).toEpochMilli();
        AccountFilter converted = leads(Set.of(), Set.of(), Set.of(LeadStatus.CONVERTED));
        AccountFilter open = leads(Set.of(), Set.of(), Set.of(LeadStatus.OPEN));

        assertThat(ids(listed(converted, AccountOrder.ACCOUNT_ID, null))).containsExactly("l4");
        assertThat(ids(listed(open, AccountOrder.ACCOUNT_ID, null))).doesNotContain("l4");
        assertThat(ids(listed(open, AccountOrder.ACCOUNT_ID, beforeTheOutcome))).contains("l4");
        assertThat(ids(listed(converted, AccountOrder.ACCOUNT_ID, beforeTheOutcome))).isEmpty();
    }

    @Test
    void thePersonaFilterKeepsTheAccountsOfThatPersonaAndCountsThem() {
        AccountScore l1 = scoring.queries.accountScore("l1", null, 0, false);
        Persona persona = l1.lead().persona();

        ScoreQueries.ScorePage page = scoring.queries.list(leads(Set.of(), Set.of(persona), Set.of()),
                AccountOrder.ACCOUNT_ID, 1, null, 0, false, null);

        assertThat(page.scores()).extracting(score -> score.lead().persona()).containsOnly(persona);
        assertThat(page.totalSize()).isGreaterThanOrEqualTo(1);
        Persona other = persona == Persona.HEARTBREAKER ? Persona.GOLDEN_LEAD : Persona.HEARTBREAKER;
        assertThat(ids(listed(leads(Set.of(), Set.of(other), Set.of()), AccountOrder.ACCOUNT_ID, null)))
                .doesNotContain("l1");
    }

    @Test
    void lastActivityOrdersTheMostRecentFirst() {
        List<AccountScore> leads = listed(leads(Set.of(), Set.of(), Set.of()), AccountOrder.LAST_ACTIVITY_DESC, null);

        assertThat(leads).extracting(score -> score.lead().lastActivityAt())
                .doesNotContainNull().isSortedAccordingTo(java.util.Comparator.reverseOrder());
    }
}
