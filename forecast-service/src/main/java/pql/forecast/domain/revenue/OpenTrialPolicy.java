package pql.forecast.domain.revenue;

import pql.forecast.domain.AccountSnapshot;
import pql.forecast.domain.Plan;

/**
 * Which accounts the forecast counts as open trials: plan TRIAL without an outcome as of the
 * instant. FREEMIUM accounts only when configured: a free plan has no trial end and no deadline
 * to convert by, so by default it is not pipeline (it still shows in the PQL spectrum).
 */
public record OpenTrialPolicy(boolean includeFreemium) {

    public static final OpenTrialPolicy TRIALS_ONLY = new OpenTrialPolicy(false);

    public boolean isOpen(AccountSnapshot account) {
        if (account.outcome() != null) {
            return false;
        }
        return account.plan() == Plan.TRIAL || (includeFreemium && account.plan() == Plan.FREEMIUM);
    }
}
