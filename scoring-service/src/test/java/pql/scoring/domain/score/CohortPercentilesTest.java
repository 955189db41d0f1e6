package pql.scoring.domain.score;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CohortPercentilesTest {

    private static AccountSummary summary(String id, String cohort, double score) {
        return new AccountSummary(id, cohort, null, null, null, 0, score, null, null, null, 0, AccountSummary.NONE,
                0, 0, null, AccountSummary.NONE, AccountSummary.NONE, AccountSummary.NONE, 0, 0, 0, 0,
                null, AccountSummary.NONE, null, 0, AccountSummary.NONE);
    }

    @Test
    void ranksWithinTheCohortTiesCountingHalf() {
        List<AccountSummary> accounts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            accounts.add(summary("a" + i, "MID", i * 10));
        }
        accounts.add(summary("x", "SMALL", 1000));
        accounts.add(summary("t1", "TIED", 5));
        accounts.add(summary("t2", "TIED", 5));
        CohortPercentiles percentiles = CohortPercentiles.of(accounts);

        assertThat(percentiles.ofMember("MID", 40)).isEqualTo(100);
        assertThat(percentiles.ofMember("MID", 0)).isEqualTo(0);
        assertThat(percentiles.ofMember("MID", 20)).isEqualTo(50);
        assertThat(percentiles.ofMember("SMALL", 1000)).as("alone in its cohort").isEqualTo(100);
        assertThat(percentiles.ofMember("TIED", 5)).isEqualTo(50);
        assertThat(percentiles.ofOutsider("MID", 25)).as("beats 3 of 5").isEqualTo(60);
        assertThat(percentiles.ofOutsider("NONE", 1)).isEqualTo(100);
    }
}
