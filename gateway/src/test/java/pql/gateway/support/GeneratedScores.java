package pql.gateway.support;

import java.util.ArrayList;
import java.util.List;
import pql.v1.AccountProfile;
import pql.v1.AccountScore;
import pql.v1.Activation;
import pql.v1.Engagement;
import pql.v1.Lead;
import pql.v1.LeadStatus;
import pql.v1.Level;
import pql.v1.Money;
import pql.v1.OpportunitySize;
import pql.v1.Persona;
import pql.v1.PqlKind;
import pql.v1.PqlState;

/**
 * Many made-up account scores for the fake scoring service (the dashboard at 50,000 accounts):
 * deterministic, with the sample's shape (activation in sixths, so seven bands; PQL when the
 * size's threshold is reached; most trials open).
 */
public final class GeneratedScores {

    /** The thresholds the fake definition service answers with, as the INTERMEDIATE preset. */
    public static final double SMALL_THRESHOLD = 0.75;
    public static final double MID_THRESHOLD = 0.50;
    public static final double LARGE_THRESHOLD = 0.25;

    private static final OpportunitySize[] SIZES = {
        OpportunitySize.OPPORTUNITY_SIZE_SMALL, OpportunitySize.OPPORTUNITY_SIZE_MID, OpportunitySize.OPPORTUNITY_SIZE_LARGE};
    private static final String[] OWNERS = {"ana@example.com", "bo@example.com", "chen@example.com", "dee@example.com", ""};
    private static final Persona[] PERSONAS = {Persona.PERSONA_GOLDEN_LEAD, Persona.PERSONA_SILENT_SUCCESS,
        Persona.PERSONA_CONTRARY_CONVERTER, Persona.PERSONA_POSITIVE_PROCRASTINATOR, Persona.PERSONA_FIZZLER,
        Persona.PERSONA_INCOMPATIBLE_IGNORAMUS, Persona.PERSONA_HEARTBREAKER};
    private static final double[] ODDS = {0.65, 0.45, 0.35, 0.25, 0.10, 0.05, 0.15};

    private GeneratedScores() {
    }

    public static List<AccountScore> of(int count) {
        List<AccountScore> scores = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            scores.add(score(i));
        }
        return scores;
    }

    private static AccountScore score(int i) {
        long h = mix(i);
        OpportunitySize size = SIZES[i % 3];
        double rate = (h % 7) / 6.0;
        double percentile = ((h >>> 8) % 1001) / 10.0;
        double threshold = switch (size) {
            case OPPORTUNITY_SIZE_SMALL -> SMALL_THRESHOLD;
            case OPPORTUNITY_SIZE_MID -> MID_THRESHOLD;
            default -> LARGE_THRESHOLD;
        };
        boolean handRaiser = (h >>> 20) % 23 == 0;
        boolean pql = rate >= threshold || handRaiser;
        long statusPick = (h >>> 24) % 10;
        LeadStatus status = statusPick < 7 ? LeadStatus.LEAD_STATUS_OPEN
                : statusPick < 9 ? LeadStatus.LEAD_STATUS_CONVERTED : LeadStatus.LEAD_STATUS_LOST;
        int persona = (int) ((h >>> 30) % PERSONAS.length);
        long dealMicros = (5 + (h >>> 36) % 50) * 1_000_000_000L;
        PqlState.Builder pqlState = PqlState.newBuilder().setIsPql(pql);
        if (rate >= threshold) {
            pqlState.addKinds(PqlKind.PQL_KIND_CRITERIA_MET);
        }
        if (handRaiser) {
            pqlState.addKinds(PqlKind.PQL_KIND_HAND_RAISER);
        }
        String id = String.format("gen-%05d", i);
        return AccountScore.newBuilder()
                .setAccountId(id)
                .setDefinitionVersion(1)
                .setProfile(AccountProfile.newBuilder().setName("Generated " + i).setOwner(OWNERS[(int) (h >>> 40) % OWNERS.length])
                        .setOpportunitySize(size)
                        .setDealSize(Money.newBuilder().setAmountMicros(dealMicros).setCurrency("USD")))
                .setActivation(Activation.newBuilder().setRate(rate).setLevel(rate >= 0.5 ? Level.LEVEL_HIGH : Level.LEVEL_LOW))
                .setEngagement(Engagement.newBuilder().setScore(percentile * 3).setPercentile(percentile))
                .setPql(pqlState)
                .setLead(Lead.newBuilder().setStatus(status).setPersona(PERSONAS[persona]).setOdds(ODDS[persona])
                        .setExpectedValue(Money.newBuilder().setAmountMicros(Math.round(dealMicros * ODDS[persona]))
                                .setCurrency("USD")))
                .build();
    }

    /** SplitMix64: well spread, so the generated dataset has no accidental stripes. */
    private static long mix(long seed) {
        long z = seed * 0x9E3779B97F4A7C15L + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (z ^ (z >>> 31)) & Long.MAX_VALUE;
    }
}
