package pql.scoring.alerts;

import java.util.List;
import pql.scoring.domain.OpportunitySize;
import pql.scoring.domain.Persona;
import pql.scoring.domain.PqlKind;

/**
 * What a rep needs besides the transition, looked up when the alert is delivered: the account as the
 * serving projection has it then, and the hand-raiser's note or the limit from its stream. Any part
 * may be unknown (null, NaN or 0 steps).
 *
 * @param odds the persona's odds under the transition's definition version, 0..1
 */
public record AccountDetails(String name, String owner, OpportunitySize size, Long dealSizeMicros, String currency,
        Persona persona, double odds, List<PqlKind> kinds, double activationRate, int stepsDone, int steps,
        double engagementPercentile, String note, String noteBy, String limitName, double limitUsage,
        double limitValue) {

    public static AccountDetails unknown() {
        return new AccountDetails(null, null, null, null, null, null, Double.NaN, List.of(), Double.NaN, 0, 0,
                Double.NaN, null, null, null, Double.NaN, Double.NaN);
    }

    /** The details an alert is built from. */
    @FunctionalInterface
    public interface Lookup {
        /** @param upToPosition the transition's log position: the note or limit at or before it */
        AccountDetails of(String accountId, int definitionVersion, long upToPosition);
    }
}
