package pql.forecast.domain.revenue;

import pql.forecast.domain.AccountSnapshot;
import pql.forecast.domain.PersonaMatch;

/** Decides, trial by trial, whether a forecast counts it, and if not, why. */
public final class TrialSelector {

    public enum Verdict {
        /** Not a trial, or already closed. */
        NOT_OPEN,
        /** Open, but the filter leaves it out. */
        FILTERED_OUT,
        /** Open and matching, but no deal size on record (Forecast.skipped_no_deal_size). */
        NO_DEAL_SIZE,
        /** Open and matching, priced in another currency (Forecast.skipped_other_currency). */
        OTHER_CURRENCY,
        INCLUDED
    }

    private final OpenTrialPolicy policy;
    private final ForecastFilter filter;
    private final String currency;

    public TrialSelector(OpenTrialPolicy policy, ForecastFilter filter, String currency) {
        this.policy = policy;
        this.filter = filter;
        this.currency = currency;
    }

    /** The trial's persona (scoring's, by its current levels), which the filter may ask about. */
    public PersonaMatch classify(AccountSnapshot account) {
        return account.persona();
    }

    public Verdict verdict(AccountSnapshot account, PersonaMatch match) {
        if (!policy.isOpen(account)) {
            return Verdict.NOT_OPEN;
        }
        if (!filter.matches(match.persona(), account.opportunitySize(), account.owner(), account.closeMonth())) {
            return Verdict.FILTERED_OUT;
        }
        if (!account.hasDealSize()) {
            return Verdict.NO_DEAL_SIZE;
        }
        if (!currency.equals(account.currency())) {
            return Verdict.OTHER_CURRENCY;
        }
        return Verdict.INCLUDED;
    }
}
