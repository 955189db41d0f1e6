package pql.forecast.support;

import com.google.protobuf.Timestamp;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import pql.v1.AccountProfile;
import pql.v1.AccountScore;
import pql.v1.Activation;
import pql.v1.ClosedOutcome;
import pql.v1.CommunicationLevel;
import pql.v1.CommunicationState;
import pql.v1.Engagement;
import pql.v1.Fit;
import pql.v1.Lead;
import pql.v1.Level;
import pql.v1.Money;
import pql.v1.OpportunitySize;
import pql.v1.OutcomeKind;
import pql.v1.Persona;
import pql.v1.Plan;

/** AccountScore messages as scoring-service sends them (BASIC view), for tests: an open USD trial by default. */
public final class Scores {

    private final AccountScore.Builder score = AccountScore.newBuilder();
    private final AccountProfile.Builder profile = AccountProfile.newBuilder();
    private Level activation = Level.LEVEL_HIGH;
    private Level engagement = Level.LEVEL_HIGH;
    private CommunicationLevel communication = CommunicationLevel.COMMUNICATION_LEVEL_ACTIVE;
    // What scoring's persona rule reports with the levels (lead.persona, distance, ties).
    private Persona persona = Persona.PERSONA_GOLDEN_LEAD;
    private boolean approximate;
    private int distance;
    private List<Persona> ties = List.of();

    private Scores(String accountId) {
        score.setAccountId(accountId).setLogPosition(1);
        profile.setName("Account " + accountId).setOwner("ann").setPlan(Plan.PLAN_TRIAL).setFit(Fit.FIT_GOOD)
                .setOpportunitySize(OpportunitySize.OPPORTUNITY_SIZE_MID)
                .setDealSize(Money.newBuilder().setAmountMicros(10_000_000_000L).setCurrency("USD"))
                .setTrialEnd(timestamp("2025-03-15T12:00:00Z"));
    }

    public static Scores account(String accountId) {
        return new Scores(accountId);
    }

    /** The levels (and fit) of one of seed 004's personas. */
    public Scores persona(Persona persona) {
        switch (persona) {
            case PERSONA_GOLDEN_LEAD -> levels(Level.LEVEL_HIGH, Level.LEVEL_HIGH, CommunicationLevel.COMMUNICATION_LEVEL_ACTIVE);
            case PERSONA_SILENT_SUCCESS -> levels(Level.LEVEL_HIGH, Level.LEVEL_HIGH, CommunicationLevel.COMMUNICATION_LEVEL_LOW);
            case PERSONA_CONTRARY_CONVERTER -> levels(Level.LEVEL_MEDIUM, Level.LEVEL_MEDIUM, CommunicationLevel.COMMUNICATION_LEVEL_ACTIVE);
            case PERSONA_POSITIVE_PROCRASTINATOR -> levels(Level.LEVEL_LOW, Level.LEVEL_LOW, CommunicationLevel.COMMUNICATION_LEVEL_ACTIVE);
            case PERSONA_FIZZLER -> levels(Level.LEVEL_HIGH, Level.LEVEL_LOW, CommunicationLevel.COMMUNICATION_LEVEL_LOW);
            case PERSONA_INCOMPATIBLE_IGNORAMUS -> levels(Level.LEVEL_LOW, Level.LEVEL_LOW, CommunicationLevel.COMMUNICATION_LEVEL_ACTIVE)
                    .fit(Fit.FIT_POOR);
            case PERSONA_HEARTBREAKER -> levels(Level.LEVEL_LOW, Level.LEVEL_LOW, CommunicationLevel.COMMUNICATION_LEVEL_LOW);
            default -> throw new IllegalArgumentException(persona.toString());
        }
        return scoringSays(persona, false, 0);
    }

    /** The lead persona scoring-service reports (its rule, its distance and ties): levels no row names need it. */
    public Scores scoringSays(Persona persona, boolean approximate, int distance, Persona... ties) {
        this.persona = persona;
        this.approximate = approximate;
        this.distance = distance;
        this.ties = List.of(ties);
        return this;
    }

    public Scores levels(Level activation, Level engagement, CommunicationLevel communication) {
        this.activation = activation;
        this.engagement = engagement;
        this.communication = communication;
        this.persona = null;
        return this;
    }

    public Scores fit(Fit fit) {
        profile.setFit(fit);
        return this;
    }

    public Scores owner(String owner) {
        profile.setOwner(owner);
        return this;
    }

    public Scores size(OpportunitySize size) {
        profile.setOpportunitySize(size);
        return this;
    }

    public Scores plan(Plan plan) {
        profile.setPlan(plan);
        return this;
    }

    /** e.g. "12345.67" USD. */
    public Scores deal(String dollars) {
        return deal(dollars, "USD");
    }

    public Scores deal(String amount, String currency) {
        profile.setDealSize(Money.newBuilder().setAmountMicros(new BigDecimal(amount).movePointRight(6).longValueExact())
                .setCurrency(currency));
        return this;
    }

    public Scores noDeal() {
        profile.clearDealSize();
        return this;
    }

    public Scores trialEnd(String instant) {
        if (instant == null) {
            profile.clearTrialEnd();
        } else {
            profile.setTrialEnd(timestamp(instant));
        }
        return this;
    }

    public Scores position(long logPosition) {
        score.setLogPosition(logPosition);
        return this;
    }

    public Scores closed(OutcomeKind kind, String at, Persona before) {
        Scores levels = account("x").persona(before);
        score.setOutcome(ClosedOutcome.newBuilder().setKind(kind).setAt(timestamp(at))
                .setActivationLevel(levels.activation).setEngagementLevel(levels.engagement)
                .setCommunicationLevel(levels.communication).setPersona(before));
        if (kind == OutcomeKind.OUTCOME_KIND_CONVERTED) {
            profile.setPlan(Plan.PLAN_PAID);
        }
        return this;
    }

    /** Converted at {@code at} for a contract of {@code amount} dollars. */
    public Scores converted(String at, String amount, Persona before) {
        closed(OutcomeKind.OUTCOME_KIND_CONVERTED, at, before);
        score.getOutcomeBuilder().setAmount(Money.newBuilder().setCurrency("USD")
                .setAmountMicros(new BigDecimal(amount).movePointRight(6).longValueExact()));
        return this;
    }

    public AccountScore build() {
        if (persona == null) {
            throw new IllegalStateException("levels no row names: say what scoring reports (scoringSays)");
        }
        return score.setProfile(profile)
                .setLead(Lead.newBuilder().setPersona(persona).setPersonaApproximate(approximate)
                        .setPersonaDistance(distance).addAllPersonaTies(ties))
                .setActivation(Activation.newBuilder().setRate(rate(activation)).setLevel(activation))
                .setEngagement(Engagement.newBuilder().setScore(engagement == Level.LEVEL_HIGH ? 212.5 : 20).setPercentile(
                        engagement == Level.LEVEL_HIGH ? 91 : 30).setLevel(engagement))
                .setCommunication(CommunicationState.newBuilder().setLevel(communication)
                        .setInbound(communication == CommunicationLevel.COMMUNICATION_LEVEL_ACTIVE ? 4 : 0).setResponses(1))
                .build();
    }

    private static double rate(Level level) {
        return switch (level) {
            case LEVEL_HIGH -> 5.0 / 6;
            case LEVEL_MEDIUM -> 0.5;
            default -> 1.0 / 6;
        };
    }

    public static Timestamp timestamp(String instant) {
        Instant parsed = Instant.parse(instant);
        return Timestamp.newBuilder().setSeconds(parsed.getEpochSecond()).setNanos(parsed.getNano()).build();
    }
}
