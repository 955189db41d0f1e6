package pql.forecast.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import pql.forecast.support.Scores;
import pql.v1.AccountScore;
import pql.v1.OpportunitySize;
import pql.v1.OutcomeKind;
import pql.v1.Persona;

/**
 * Deterministic synthetic scores for benchmarks: open trials of all seven personas (plus a few
 * approximate level combinations), 40 owners, trial ends over 12 months, deals from $1k to $100k
 * to the cent, and one account in ten already closed.
 */
final class SyntheticPortfolio {

    private static final Persona[] PERSONAS = {Persona.PERSONA_GOLDEN_LEAD, Persona.PERSONA_SILENT_SUCCESS,
            Persona.PERSONA_CONTRARY_CONVERTER, Persona.PERSONA_POSITIVE_PROCRASTINATOR, Persona.PERSONA_FIZZLER,
            Persona.PERSONA_INCOMPATIBLE_IGNORAMUS, Persona.PERSONA_HEARTBREAKER};
    private static final OpportunitySize[] SIZES = {OpportunitySize.OPPORTUNITY_SIZE_SMALL, OpportunitySize.OPPORTUNITY_SIZE_MID,
            OpportunitySize.OPPORTUNITY_SIZE_LARGE};

    private SyntheticPortfolio() {
    }

    static List<AccountScore> generate(int accounts, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<AccountScore> scores = new ArrayList<>(accounts);
        for (int i = 0; i < accounts; i++) {
            Persona persona = PERSONAS[random.nextInt(PERSONAS.length)];
            long cents = random.nextLong(100_000, 10_000_000);
            Scores score = Scores.account(String.format("acct-%07d", i))
                    .persona(persona)
                    .owner("owner-" + random.nextInt(40))
                    .size(SIZES[random.nextInt(SIZES.length)])
                    .deal(java.math.BigDecimal.valueOf(cents, 2).toPlainString())
                    .trialEnd(String.format("2025-%02d-%02dT12:00:00Z", 1 + random.nextInt(12), 1 + random.nextInt(28)))
                    .position(i + 1);
            if (random.nextInt(20) == 0) {
                score.levels(pql.v1.Level.LEVEL_HIGH, pql.v1.Level.LEVEL_MEDIUM, pql.v1.CommunicationLevel.COMMUNICATION_LEVEL_ACTIVE)
                        .scoringSays(Persona.PERSONA_CONTRARY_CONVERTER, true, 1, Persona.PERSONA_GOLDEN_LEAD);
            }
            if (random.nextInt(10) == 0) {
                boolean converted = random.nextInt(2) == 0;
                score.closed(converted ? OutcomeKind.OUTCOME_KIND_CONVERTED : OutcomeKind.OUTCOME_KIND_LOST,
                        "2025-01-15T00:00:00Z", persona);
            }
            scores.add(score.build());
        }
        return scores;
    }
}
