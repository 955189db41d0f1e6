package pql.scoring.app;

import java.util.List;
import pql.scoring.domain.score.AccountSummary;

/**
 * How the candidate version scores accounts differently from the active one.
 *
 * @param changes one page, by account id; {@code before} or {@code after} is null for an account only
 *     one side has seen
 */
public record RescoreDiff(int baselineVersion, int candidateVersion, long accountsCompared, long accountsChanged,
        long pqlGained, long pqlLost, List<Change> changes, String nextAccountId) {

    public record Change(String accountId, AccountSummary before, AccountSummary after) {
    }
}
