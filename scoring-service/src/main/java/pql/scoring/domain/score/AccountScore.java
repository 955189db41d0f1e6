package pql.scoring.domain.score;

import java.util.List;
import pql.scoring.domain.CommunicationLevel;
import pql.scoring.domain.Explanation;
import pql.scoring.domain.Fit;
import pql.scoring.domain.Level;
import pql.scoring.domain.OpportunitySize;
import pql.scoring.domain.OutcomeKind;
import pql.scoring.domain.PersonaRule;
import pql.scoring.domain.Plan;
import pql.scoring.domain.PqlKind;

/**
 * One account evaluated as of an instant (event time) under one definition version. Times are epoch
 * milliseconds; nullable fields are absent values. A BASIC evaluation leaves out checklist steps, top
 * actions, champions and explanations (empty lists and null explanations).
 */
public record AccountScore(
        String accountId,
        int definitionVersion,
        long asOf,
        Profile profile,
        Activation activation,
        Engagement engagement,
        Communication communication,
        PqlStatus pql,
        List<Champion> champions,
        Activity activity,
        ClosedOutcome outcome,
        long eventsApplied,
        long logPosition,
        Lead lead) {

    public record Profile(String name, Long dealSizeMicros, String currency, OpportunitySize opportunitySize,
            boolean opportunitySizeDerived, String owner, Plan plan, Long trialStart, Long trialEnd, Fit fit,
            long firstSeenAt) {
    }

    public record Activation(double rate, Level level, List<StepState> steps, Explanation explanation) {
    }

    public record StepState(String key, String action, double minCount, double count, boolean done, Long doneAt,
            String doneByUserId) {
    }

    public record Engagement(double score, double percentile, Level level, String cohort,
            List<ActionEngagement> topActions, Explanation explanation) {
    }

    public record ActionEngagement(String action, double quantity, double points) {
    }

    public record Communication(CommunicationLevel level, int inbound, int responses, int outbound, int positive,
            int neutral, int negative, Explanation explanation) {
    }

    public record PqlStatus(boolean isPql, List<PqlKind> kinds, Long qualifiedAt, Long timeToPqlMillis,
            List<String> triggersHit, List<Explanation> explanations) {
    }

    /** A user who drives the account: the champion sales should talk to (seed 004). */
    public record Champion(String userId, String email, double activationRate, double engagementScore) {
    }

    public record Activity(int dau, int wau, int mau, int users) {
    }

    /** How the trial ended, with the levels the account had just before (forecast calibrates on them). */
    public record ClosedOutcome(OutcomeKind kind, long at, long amountMicros, String currency, boolean salesTouched,
            Level activationLevel, Level engagementLevel, CommunicationLevel communicationLevel) {

        /** The persona the levels just before close name (what calibration judges); null when unknown. */
        public PersonaRule.Match personaBeforeClose(Fit fit) {
            return PersonaRule.match(activationLevel, engagementLevel, communicationLevel, fit);
        }
    }
}
