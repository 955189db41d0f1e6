package pql.scoring.app;

import pql.scoring.domain.score.AccountSummary;

/** Orders of the PQL spectrum. Each maps an account to a key; the list is ascending by (key, account id). */
public enum AccountOrder {
    ENGAGEMENT_DESC,
    ACTIVATION_DESC,
    /** Most recent PQLs first, non-PQLs last. */
    QUALIFIED_AT_DESC,
    ACCOUNT_ID;

    double keyOf(AccountSummary account) {
        return switch (this) {
            case ENGAGEMENT_DESC -> -account.engagementScore();
            case ACTIVATION_DESC -> -account.activationRate();
            case QUALIFIED_AT_DESC -> account.isPql() ? -(double) account.qualifiedAt() : Double.MAX_VALUE;
            case ACCOUNT_ID -> 0;
        };
    }
}
