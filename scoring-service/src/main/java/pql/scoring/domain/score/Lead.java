package pql.scoring.domain.score;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import pql.scoring.domain.CommunicationLevel;
import pql.scoring.domain.Fit;
import pql.scoring.domain.LeadStatus;
import pql.scoring.domain.Level;
import pql.scoring.domain.OutcomeKind;
import pql.scoring.domain.Persona;
import pql.scoring.domain.PersonaRule;
import pql.scoring.domain.Plan;

/**
 * An account as a sales rep works it, at the evaluation instant: where it stands, its persona and odds
 * under the definition, and what it is worth (deal size x odds, the forecast's expected value per trial).
 *
 * @param persona null when a level is unknown (no definition levels yet)
 * @param expectedValueMicros null without a deal size on record
 * @param lastActivityAt the newest product action of any user at or before the instant; null when none
 * @param personaMatch why this persona (distance, ties); null when a level is unknown
 */
public record Lead(LeadStatus status, Persona persona, boolean personaApproximate, double odds,
        Long expectedValueMicros, Long lastActivityAt, PersonaRule.Match personaMatch) {

    /** The lead of an account with these facts as of one instant, under a definition's persona odds. */
    public static Lead of(OutcomeKind outcome, Plan plan, Level activation, Level engagement,
            CommunicationLevel communication, Fit fit, Long dealSizeMicros, Map<Persona, Double> personaOdds,
            Long lastActivityAt) {
        PersonaRule.Match match = PersonaRule.match(activation, engagement, communication, fit);
        Persona persona = match == null ? null : match.persona();
        double odds = persona == null ? 0 : PersonaRule.oddsOf(persona, personaOdds);
        Long expected = dealSizeMicros == null || persona == null ? null : expectedValueMicros(dealSizeMicros, odds);
        return new Lead(LeadStatus.of(outcome, plan), persona, match != null && match.approximate(), odds, expected,
                lastActivityAt, match);
    }

    /**
     * {@code micros x odds}, rounded half-even to the micro, with the odds taken as the shortest decimal
     * that reads back as the double (0.9, not 0.900000000000000022...): what forecast-service sums.
     */
    public static long expectedValueMicros(long micros, double odds) {
        return BigDecimal.valueOf(micros).multiply(BigDecimal.valueOf(odds)).setScale(0, RoundingMode.HALF_EVEN)
                .longValueExact();
    }
}
