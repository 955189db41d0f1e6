package pql.forecast.domain.revenue;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import pql.forecast.domain.AccountSnapshot;
import pql.forecast.domain.Odds;
import pql.forecast.domain.PersonaMatch;
import pql.forecast.domain.PersonaOdds;
import pql.forecast.domain.currency.Priced;

/**
 * The lines of a forecast, produced one at a time as a consumer pulls them (an export of 100k+
 * trials never sits in memory twice). Exactly the trials {@link ForecastCalculator} counts for the
 * same query, in the portfolio's order; with {@code listUnconverted}, also the trials it could not
 * convert (an export lists them with their warning; their expected revenue is 0).
 */
public final class ForecastLines implements Iterator<ForecastLine> {

    private final List<AccountSnapshot> accounts;
    private final TrialSelector selector;
    private final PersonaOdds odds;
    private final boolean listUnconverted;
    private int position;
    private ForecastLine next;

    public ForecastLines(List<AccountSnapshot> accounts, TrialSelector selector, PersonaOdds odds) {
        this(accounts, selector, odds, false);
    }

    public ForecastLines(List<AccountSnapshot> accounts, TrialSelector selector, PersonaOdds odds, boolean listUnconverted) {
        this.accounts = accounts;
        this.selector = selector;
        this.odds = odds;
        this.listUnconverted = listUnconverted;
    }

    @Override
    public boolean hasNext() {
        while (next == null && position < accounts.size()) {
            AccountSnapshot account = accounts.get(position++);
            PersonaMatch match = selector.classify(account);
            TrialSelector.Verdict verdict = selector.verdict(account, match);
            if (verdict == TrialSelector.Verdict.INCLUDED
                    || verdict == TrialSelector.Verdict.UNCONVERTED && listUnconverted) {
                Odds personaOdds = odds.of(match.persona());
                Priced deal = selector.price(account);
                next = new ForecastLine(account, match, personaOdds, deal, deal.counted() ? personaOdds.applyTo(deal.micros()) : 0);
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
