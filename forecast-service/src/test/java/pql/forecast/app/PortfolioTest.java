package pql.forecast.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import pql.forecast.domain.AccountSnapshot;
import pql.forecast.domain.Trials;

class PortfolioTest {

    private static AccountSnapshot account(String id, String deal, long position) {
        AccountSnapshot base = Trials.trial(id).deal(deal).build();
        return new AccountSnapshot(base.accountId(), base.name(), base.owner(), base.opportunitySize(), base.plan(), base.fit(),
                base.hasDealSize(), base.dealSizeMicros(), base.currency(), base.closeMonth(), base.trialEndEpochMillis(), base.levels(), base.persona(), base.evidence(),
                base.outcome(), base.definitionVersion(), position);
    }

    @Test
    void accountsAreSortedByIdAndTheNewerScoreOfADuplicateWins() {
        Portfolio portfolio = Portfolio.of(1, List.of(account("c", "1", 3), account("a", "1", 1), account("b", "1", 5),
                account("a", "2", 7), account("b", "9", 4)), 7, 0);

        assertThat(portfolio.accounts()).extracting(AccountSnapshot::accountId).containsExactly("a", "b", "c");
        assertThat(portfolio.accounts().get(0).dealSizeMicros()).isEqualTo(2_000_000L);
        assertThat(portfolio.accounts().get(1).dealSizeMicros()).isEqualTo(1_000_000L);
    }

    @Test
    void aRefreshMergesChangedAndNewAccountsInOrder() {
        Portfolio before = Portfolio.of(1, List.of(account("b", "1", 1), account("d", "1", 2)), 2, 0);

        Portfolio after = before.merge(List.of(account("e", "5", 4), account("a", "5", 3), account("d", "7", 5)), 5);

        assertThat(after.accounts()).extracting(AccountSnapshot::accountId).containsExactly("a", "b", "d", "e");
        assertThat(after.accounts().get(2).dealSizeMicros()).isEqualTo(7_000_000L);
        assertThat(after.headPosition()).isEqualTo(5);
        assertThat(before.merge(List.of(), 2)).isSameAs(before);
        // an older score never replaces a newer one
        assertThat(after.merge(List.of(account("d", "1", 1)), 6).accounts().get(2).dealSizeMicros()).isEqualTo(7_000_000L);
    }
}
