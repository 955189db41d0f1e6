package pql.scoring.app;

import pql.scoring.domain.score.AccountSummary;

/** Orders of the PQL spectrum. Each maps an account to a key; the list is ascending by (key, account id). */
public enum AccountOrder {
    ENGAGEMENT_DESC,
    ACTIVATION_DESC,
    /** Most recent PQLs first, non-PQLs last. */
    QUALIFIED_AT_DESC,
    ACCOUNT_ID,
    /** Deal size x odds, highest first ("hottest first"); accounts without a deal size last. */
    EXPECTED_VALUE_DESC,
    /** Newest product action first; accounts with none last. */
    LAST_ACTIVITY_DESC;

    double keyOf(AccountSummary account) {
        return switch (this) {
            case ENGAGEMENT_DESC -> -account.engagementScore();
            case ACTIVATION_DESC -> -account.activationRate();
            case QUALIFIED_AT_DESC -> account.isPql() ? -(double) account.qualifiedAt() : Double.MAX_VALUE;
            case ACCOUNT_ID -> 0;
            case EXPECTED_VALUE_DESC -> account.expectedValueMicros() == AccountSummary.NONE ? Double.MAX_VALUE
                    : -(double) account.expectedValueMicros();
            case LAST_ACTIVITY_DESC -> account.lastActivityAt() == AccountSummary.NONE ? Double.MAX_VALUE
                    : -(double) account.lastActivityAt();
        };
    }
}
