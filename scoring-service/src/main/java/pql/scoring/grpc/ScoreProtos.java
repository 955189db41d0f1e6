package pql.scoring.grpc;

import com.google.protobuf.Timestamp;
import pql.scoring.domain.Explanation;
import pql.scoring.domain.score.AccountScore;
import pql.scoring.domain.score.PqlTransition;
import pql.v1.Activation;
import pql.v1.ActionEngagement;
import pql.v1.ActivationStepState;
import pql.v1.Activity;
import pql.v1.Champion;
import pql.v1.ClosedOutcome;
import pql.v1.CommunicationState;
import pql.v1.Engagement;
import pql.v1.ExplanationFactor;
import pql.v1.Money;
import pql.v1.PqlState;
import pql.v1.SentimentMix;

/** Domain scores and transitions to their wire form. */
public final class ScoreProtos {

    private ScoreProtos() {
    }

    public static pql.v1.AccountScore toProto(AccountScore score) {
        pql.v1.AccountScore.Builder proto = pql.v1.AccountScore.newBuilder()
                .setAccountId(score.accountId())
                .setDefinitionVersion(score.definitionVersion())
                .setAsOf(timestamp(score.asOf()))
                .setProfile(profile(score.profile()))
                .setActivation(activation(score.activation()))
                .setEngagement(engagement(score.engagement()))
                .setCommunication(communication(score.communication()))
                .setPql(pql(score.pql()))
                .setActivity(Activity.newBuilder().setDau(score.activity().dau()).setWau(score.activity().wau())
                        .setMau(score.activity().mau()).setUsers(score.activity().users()))
                .setEventsApplied(score.eventsApplied())
                .setLogPosition(score.logPosition());
        for (AccountScore.Champion champion : score.champions()) {
            Champion.Builder builder = Champion.newBuilder().setUserId(champion.userId())
                    .setActivationRate(champion.activationRate()).setEngagementScore(champion.engagementScore());
            if (champion.email() != null) {
                builder.setEmail(champion.email());
            }
            proto.addChampions(builder);
        }
        if (score.outcome() != null) {
            AccountScore.ClosedOutcome outcome = score.outcome();
            ClosedOutcome.Builder builder = ClosedOutcome.newBuilder()
                    .setKind(Enums.toProto(outcome.kind()))
                    .setAt(timestamp(outcome.at()))
                    .setAmount(Money.newBuilder().setAmountMicros(outcome.amountMicros())
                            .setCurrency(nullToEmpty(outcome.currency())))
                    .setSalesTouched(outcome.salesTouched());
            if (outcome.activationLevel() != null) {
                builder.setActivationLevel(Enums.toProto(outcome.activationLevel()))
                        .setEngagementLevel(Enums.toProto(outcome.engagementLevel()))
                        .setCommunicationLevel(Enums.toProto(outcome.communicationLevel()));
            }
            pql.scoring.domain.PersonaRule.Match before = outcome.personaBeforeClose(score.profile().fit());
            if (before != null) {
                builder.setPersona(Enums.toProto(before.persona()))
                        .setPersonaApproximate(before.approximate())
                        .setPersonaDistance(before.distance());
                before.ties().forEach(tie -> builder.addPersonaTies(Enums.toProto(tie)));
            }
            proto.setOutcome(builder);
        }
        if (score.lead() != null) {
            proto.setLead(lead(score.lead(), score.profile().currency()));
        }
        return proto.build();
    }

    private static pql.v1.Lead lead(pql.scoring.domain.score.Lead lead, String currency) {
        pql.v1.Lead.Builder builder = pql.v1.Lead.newBuilder()
                .setStatus(Enums.toProto(lead.status()))
                .setPersonaApproximate(lead.personaApproximate())
                .setOdds(lead.odds());
        if (lead.persona() != null) {
            builder.setPersona(Enums.toProto(lead.persona()));
        }
        if (lead.personaMatch() != null) {
            builder.setPersonaDistance(lead.personaMatch().distance());
            lead.personaMatch().ties().forEach(tie -> builder.addPersonaTies(Enums.toProto(tie)));
        }
        if (lead.expectedValueMicros() != null) {
            builder.setExpectedValue(Money.newBuilder().setAmountMicros(lead.expectedValueMicros())
                    .setCurrency(nullToEmpty(currency)));
        }
        if (lead.lastActivityAt() != null) {
            builder.setLastActivityAt(timestamp(lead.lastActivityAt()));
        }
        return builder.build();
    }

    private static pql.v1.AccountProfile profile(AccountScore.Profile profile) {
        pql.v1.AccountProfile.Builder builder = pql.v1.AccountProfile.newBuilder()
                .setName(nullToEmpty(profile.name()))
                .setOwner(nullToEmpty(profile.owner()))
                .setOpportunitySizeDerived(profile.opportunitySizeDerived())
                .setFirstSeenAt(timestamp(profile.firstSeenAt()));
        if (profile.dealSizeMicros() != null) {
            builder.setDealSize(Money.newBuilder().setAmountMicros(profile.dealSizeMicros())
                    .setCurrency(nullToEmpty(profile.currency())));
        }
        if (profile.opportunitySize() != null) {
            builder.setOpportunitySize(Enums.toProto(profile.opportunitySize()));
        }
        if (profile.plan() != null) {
            builder.setPlan(Enums.toProto(profile.plan()));
        }
        if (profile.fit() != null) {
            builder.setFit(Enums.toProto(profile.fit()));
        }
        if (profile.trialStart() != null) {
            builder.setTrialStart(timestamp(profile.trialStart()));
        }
        if (profile.trialEnd() != null) {
            builder.setTrialEnd(timestamp(profile.trialEnd()));
        }
        return builder.build();
    }

    private static Activation activation(AccountScore.Activation activation) {
        Activation.Builder builder = Activation.newBuilder().setRate(activation.rate())
                .setLevel(Enums.toProto(activation.level()));
        for (AccountScore.StepState step : activation.steps()) {
            ActivationStepState.Builder state = ActivationStepState.newBuilder().setKey(step.key())
                    .setAction(step.action()).setMinCount(step.minCount()).setCount(step.count()).setDone(step.done());
            if (step.doneAt() != null) {
                state.setDoneAt(timestamp(step.doneAt()));
            }
            if (step.doneByUserId() != null) {
                state.setDoneByUserId(step.doneByUserId());
            }
            builder.addSteps(state);
        }
        if (activation.explanation() != null) {
            builder.setExplanation(explanation(activation.explanation()));
        }
        return builder.build();
    }

    private static Engagement engagement(AccountScore.Engagement engagement) {
        Engagement.Builder builder = Engagement.newBuilder().setScore(engagement.score())
                .setPercentile(engagement.percentile()).setLevel(Enums.toProto(engagement.level()))
                .setCohort(engagement.cohort());
        for (AccountScore.ActionEngagement action : engagement.topActions()) {
            builder.addTopActions(ActionEngagement.newBuilder().setAction(action.action())
                    .setQuantity(action.quantity()).setPoints(action.points()));
        }
        if (engagement.explanation() != null) {
            builder.setExplanation(explanation(engagement.explanation()));
        }
        return builder.build();
    }

    private static CommunicationState communication(AccountScore.Communication communication) {
        CommunicationState.Builder builder = CommunicationState.newBuilder()
                .setLevel(Enums.toProto(communication.level()))
                .setInbound(communication.inbound()).setResponses(communication.responses())
                .setOutbound(communication.outbound())
                .setSentiment(SentimentMix.newBuilder().setPositive(communication.positive())
                        .setNeutral(communication.neutral()).setNegative(communication.negative()));
        if (communication.explanation() != null) {
            builder.setExplanation(explanation(communication.explanation()));
        }
        return builder.build();
    }

    private static PqlState pql(AccountScore.PqlStatus status) {
        PqlState.Builder builder = PqlState.newBuilder().setIsPql(status.isPql())
                .addAllTriggersHit(status.triggersHit());
        status.kinds().forEach(kind -> builder.addKinds(Enums.toProto(kind)));
        if (status.qualifiedAt() != null) {
            builder.setQualifiedAt(timestamp(status.qualifiedAt()));
        }
        if (status.timeToPqlMillis() != null) {
            builder.setTimeToPqlHours(hours(status.timeToPqlMillis()));
        }
        status.explanations().forEach(e -> builder.addExplanations(explanation(e)));
        return builder.build();
    }

    public static pql.v1.Explanation explanation(Explanation explanation) {
        pql.v1.Explanation.Builder builder = pql.v1.Explanation.newBuilder().setRule(explanation.rule())
                .setText(explanation.text());
        for (Explanation.Factor factor : explanation.factors()) {
            builder.addFactors(ExplanationFactor.newBuilder().setName(factor.name()).setValue(factor.value())
                    .setDetail(nullToEmpty(factor.detail())));
        }
        return builder.build();
    }

    public static pql.v1.PqlTransition toProto(PqlTransition transition) {
        pql.v1.PqlTransition.Builder builder = pql.v1.PqlTransition.newBuilder()
                .setAccountId(transition.accountId())
                .setKind(Enums.toProto(transition.kind()))
                .setDefinitionVersion(transition.definitionVersion())
                .setAt(timestamp(transition.at()))
                .setLogPosition(transition.logPosition())
                .setActivationLevel(Enums.toProto(transition.activationLevel()))
                .setEngagementLevel(Enums.toProto(transition.engagementLevel()))
                .setCommunicationLevel(Enums.toProto(transition.communicationLevel()))
                .setAccountName(nullToEmpty(transition.accountName()))
                .setOwner(nullToEmpty(transition.owner()))
                .setExplanation(explanation(transition.explanation()))
                .setTimeDriven(transition.timeDriven());
        transition.kindsBefore().forEach(kind -> builder.addKindsBefore(Enums.toProto(kind)));
        transition.kindsAfter().forEach(kind -> builder.addKindsAfter(Enums.toProto(kind)));
        return builder.build();
    }

    public static Timestamp timestamp(long epochMillis) {
        return Timestamp.newBuilder().setSeconds(Math.floorDiv(epochMillis, 1000))
                .setNanos((int) Math.floorMod(epochMillis, 1000) * 1_000_000).build();
    }

    /** A duration as a number of hours: JSON, CSV and spreadsheets read a number, not "266812s". */
    public static double hours(long millis) {
        return millis / 3_600_000.0;
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
