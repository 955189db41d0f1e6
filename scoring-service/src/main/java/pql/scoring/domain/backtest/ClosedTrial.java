package pql.scoring.domain.backtest;

import pql.scoring.domain.Persona;

/**
 * A trial as a backtest judges it: when it closed (its first CONVERTED or LOST outcome, event time,
 * epoch ms), whether that close was a conversion, when the definition first qualified it as a PQL,
 * and the persona its levels just before closing name.
 *
 * @param qualifiedAt {@link #NEVER} when the definition never qualified it
 * @param personaBeforeClose null when the levels before closing are unknown
 */
public record ClosedTrial(String accountId, long closedAt, boolean converted, long qualifiedAt, Persona personaBeforeClose) {

    public static final long NEVER = Long.MIN_VALUE;

    /**
     * Qualified strictly before it closed: a PQL the definition handed to sales in time. A touchless
     * purchase qualifies at the conversion itself, which is no prediction.
     */
    public boolean qualifiedBeforeClose() {
        return qualifiedAt != NEVER && qualifiedAt < closedAt;
    }
}
