package pql.forecast.domain.revenue;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import pql.forecast.domain.AccountSnapshot;
import pql.forecast.domain.Odds;
import pql.forecast.domain.PersonaMatch;
import pql.forecast.domain.PersonaOdds;

/**
 * The lines of a forecast, produced one at a time as a consumer pulls them (an export of 100k+
 * trials never sits in memory twice). Exactly the trials {@link ForecastCalculator} counts for the
 * same query, in the portfolio's order.
 */
public final class ForecastLines implements Iterator<ForecastLine> {

    private final List<AccountSnapshot> accounts;
    private final TrialSelector selector;
    private final PersonaOdds odds;
    private int position;
    private ForecastLine next;

    public ForecastLines(List<AccountSnapshot> accounts, TrialSelector selector, PersonaOdds odds) {
        this.accounts = accounts;
        this.selector = selector;
        this.odds = odds;
    }

    @Override
    public boolean hasNext() {
        while (next == null && position < accounts.size()) {
            AccountSnapshot account = accounts.get(position++);
            PersonaMatch match = selector.classify(account);
            if (selector.verdict(account, match) == TrialSelector.Verdict.INCLUDED) {
                Odds personaOdds = odds.of(match.persona());
                next = new ForecastLine(account, match, personaOdds, personaOdds.applyTo(account.dealSizeMicros()));
            }
        }
        return next != null;
    }

    @Override
    public ForecastLine next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        ForecastLine line = next;
        next = null;
        return line;
    }
}
