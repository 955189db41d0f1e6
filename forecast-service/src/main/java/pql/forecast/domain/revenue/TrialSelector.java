package pql.forecast.domain.revenue;

import pql.forecast.domain.AccountSnapshot;
import pql.forecast.domain.PersonaMatch;
import pql.forecast.domain.currency.CurrencyConversion;
import pql.forecast.domain.currency.Priced;

/** Decides, trial by trial, whether a forecast counts it, and if not, why. */
public final class TrialSelector {

    public enum Verdict {
        /** Not a trial, or already closed. */
        NOT_OPEN,
        /** Open, but the filter leaves it out. */
        FILTERED_OUT,
        /** Open and matching, but no deal size on record (Forecast.skipped_no_deal_size). */
        NO_DEAL_SIZE,
        /**
         * Open and matching, priced in a currency without a usable rate into the reporting one:
         * listed, not in the totals (Forecast.unconverted_trials).
         */
        UNCONVERTED,
        /** Counted, at {@link #price}: in the reporting currency or converted into it. */
        INCLUDED
    }

    private final OpenTrialPolicy policy;
    private final ForecastFilter filter;
    private final CurrencyConversion conversion;

    public TrialSelector(OpenTrialPolicy policy, ForecastFilter filter, CurrencyConversion conversion) {
        this.policy = policy;
        this.filter = filter;
        this.conversion = conversion;
    }

    public CurrencyConversion conversion() {
        return conversion;
    }

    /** The trial's deal size in the reporting currency (for a trial with a deal size). */
    public Priced price(AccountSnapshot account) {
        return conversion.price(account.dealSizeMicros(), account.currency());
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
        if (!conversion.reportingCurrency().equals(account.currency()) && !price(account).counted()) {
            return Verdict.UNCONVERTED;
        }
        return Verdict.INCLUDED;
    }
}
