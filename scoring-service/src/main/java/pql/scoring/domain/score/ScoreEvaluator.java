package pql.scoring.domain.score;

import static pql.scoring.domain.Explanation.factor;
import static pql.scoring.domain.definition.Numbers.oneDecimal;
import static pql.scoring.domain.definition.Numbers.percent;
import static pql.scoring.domain.definition.Numbers.plain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import pql.scoring.domain.CommunicationLevel;
import pql.scoring.domain.Explanation;
import pql.scoring.domain.Level;
import pql.scoring.domain.OpportunitySize;
import pql.scoring.domain.PqlKind;
import pql.scoring.domain.definition.CompiledDefinition;
import pql.scoring.domain.definition.ScoringDefinition;
import pql.scoring.domain.definition.ScoringDefinition.ActivationStep;
import pql.scoring.domain.definition.ScoringDefinition.Cutoffs;

/**
 * Turns an account's state into its score as of an instant, with every number explained: which rule
 * decided and the figures behind it. Pure: the same state, instant and percentile give the same score.
 */
public final class ScoreEvaluator {

    public static final int TOP_ACTIONS = 10;
    public static final int CHAMPIONS = 5;
    private static final long DAY = CompiledDefinition.DAY_MILLIS;

    /** The engagement percentile (0..100) of {@code score} within {@code cohort}. */
    @FunctionalInterface
    public interface PercentileLookup {
        double percentile(String cohort, double score);
    }

    private ScoreEvaluator() {
    }

    /** As of the account's newest event. */
    public static AccountScore evaluate(AccountState state, PercentileLookup percentiles, boolean full) {
        synchronized (state) {
            return evaluate(state, state.newest, percentiles, full);
        }
    }

    /**
     * As of {@code asOf}, which must not be before the account's newest event (fold the events up to
     * an earlier instant into a fresh state to look back).
     */
    public static AccountScore evaluate(AccountState state, long asOf, PercentileLookup percentiles, boolean full) {
        synchronized (state) {
            if (asOf < state.newest) {
                throw new IllegalArgumentException("as of " + asOf + " is before the newest event " + state.newest);
            }
            return new Evaluation(state, asOf, percentiles, full).score();
        }
    }

    private static final class Evaluation {
        private final AccountState state;
        private final long asOf;
        private final PercentileLookup percentiles;
        private final boolean full;
        private final ScoringDefinition definition;

        Evaluation(AccountState state, long asOf, PercentileLookup percentiles, boolean full) {
            this.state = state;
            this.asOf = asOf;
            this.percentiles = percentiles;
            this.full = full;
            this.definition = state.definition().definition();
        }

        AccountScore score() {
            AccountScore.Activation activation = activation();
            AccountScore.Engagement engagement = engagement();
            AccountScore.Communication communication = communication();
            long lastActivity = state.users.lastActiveAt(asOf);
            Lead lead = Lead.of(state.outcome, state.plan, activation.level(), engagement.level(),
                    communication.level(), state.fit, state.dealSizeMicros, definition.personaOdds(),
                    lastActivity == UserTable.NEVER ? null : lastActivity);
            return new AccountScore(state.accountId(), state.definition().version(), asOf, profile(), activation,
                    engagement, communication, pql(activation.rate()), full ? champions() : List.of(), activity(),
                    outcome(), state.eventsApplied(), state.logPosition(), lead);
        }

        private AccountScore.Profile profile() {
            return new AccountScore.Profile(state.name, state.dealSizeMicros, state.currency,
                    state.opportunitySize(), state.opportunitySizeDerived(), state.owner, state.plan,
                    optional(state.trialStart), optional(state.trialEnd), state.fit, state.firstSeen);
        }

        private AccountScore.Activation activation() {
            double rate = state.activationRate();
            Cutoffs cutoffs = definition.levels().activation();
            Level level = AccountState.levelOf(rate, cutoffs);
            List<AccountScore.StepState> steps = new ArrayList<>();
            if (full) {
                List<ActivationStep> checklist = definition.steps();
                for (int i = 0; i < checklist.size(); i++) {
                    ActivationStep step = checklist.get(i);
                    double count = state.stepCounts[i];
                    boolean done = count >= step.minCount();
                    int by = state.stepDoneBy[i];
                    steps.add(new AccountScore.StepState(step.key(), step.action(), step.minCount(), count, done,
                            done ? optional(state.stepDoneAt[i]) : null,
                            done && by >= 0 ? state.users.id(by) : null));
                }
            }
            Explanation explanation = full ? new Explanation("activation.rate",
                    state.stepsDone + " of " + definition.steps().size() + " checklist steps done (" + percent(rate)
                            + ") -> " + level + " (HIGH >= " + percent(cutoffs.high()) + ", MEDIUM >= "
                            + percent(cutoffs.medium()) + ")",
                    List.of(factor("steps_done", state.stepsDone, "steps"),
                            factor("steps", definition.steps().size(), "steps"),
                            factor("activation_rate", rate, "ratio"),
                            factor("high_cutoff", cutoffs.high(), ">= for HIGH"),
                            factor("medium_cutoff", cutoffs.medium(), ">= for MEDIUM"))) : null;
            return new AccountScore.Activation(rate, level, steps, explanation);
        }

        private AccountScore.Engagement engagement() {
            double score = state.engagementScoreAt(asOf);
            String cohort = state.cohortKey(definition.engagement().cohort());
            double percentile = percentiles.percentile(cohort, score);
            Cutoffs cutoffs = definition.levels().engagement();
            Level level = AccountState.levelOf(score, cutoffs);
            List<AccountScore.ActionEngagement> top = new ArrayList<>();
            if (full) {
                for (EngagementLedger.ActionTotal total : state.ledger.actionTotals(asOf, state.newest)) {
                    top.add(new AccountScore.ActionEngagement(state.definition().actionName(total.actionId()),
                            total.quantity(), state.toScore(total.anchoredPoints(), asOf)));
                }
                top.sort(Comparator.comparingDouble(AccountScore.ActionEngagement::points).reversed()
                        .thenComparing(AccountScore.ActionEngagement::action));
                if (top.size() > TOP_ACTIONS) {
                    top = new ArrayList<>(top.subList(0, TOP_ACTIONS));
                }
            }
            Explanation explanation = null;
            if (full) {
                var rule = definition.engagement();
                String window = rule.windowDays() > 0 ? "in the last " + rule.windowDays() + " days" : "over all time";
                String decay = rule.halfLifeDays() > 0 ? ", half-life " + plain(rule.halfLifeDays()) + " days"
                        : ", no decay";
                explanation = new Explanation("engagement.score",
                        "score " + oneDecimal(score) + " (weight x quantity x decay " + window + decay + ", excluding "
                                + rule.excludedActions() + ") -> " + level + " (HIGH >= " + plain(cutoffs.high())
                                + ", MEDIUM >= " + plain(cutoffs.medium()) + "); percentile " + oneDecimal(percentile)
                                + " among " + cohort + " accounts",
                        List.of(factor("engagement_score", score, "points"),
                                factor("percentile", percentile, "0..100 within " + cohort),
                                factor("window_days", rule.windowDays(), "0 = all time"),
                                factor("half_life_days", rule.halfLifeDays(), "0 = no decay"),
                                factor("high_cutoff", cutoffs.high(), ">= for HIGH"),
                                factor("medium_cutoff", cutoffs.medium(), ">= for MEDIUM")));
            }
            return new AccountScore.Engagement(score, percentile, level, cohort, top, explanation);
        }

        private AccountScore.Communication communication() {
            int[] counts = state.communicationCounts(asOf);
            CommunicationLevel level = state.communicationLevelOf(counts);
            var rule = definition.communication();
            Explanation explanation = full ? new Explanation("communication.active_threshold",
                    counts[0] + " inbound + " + counts[1] + " responses in the last " + rule.windowDays() + " days "
                            + (level == CommunicationLevel.ACTIVE ? ">= " : "< ") + rule.activeThreshold() + " -> "
                            + level + "; sentiment " + counts[3] + " positive, " + counts[4] + " neutral, " + counts[5]
                            + " negative",
                    List.of(factor("inbound", counts[0], "interactions"),
                            factor("responses", counts[1], "responded outbound"),
                            factor("outbound", counts[2], "interactions"),
                            factor("active_threshold", rule.activeThreshold(), ">= for ACTIVE"),
                            factor("window_days", rule.windowDays(), "days"))) : null;
            return new AccountScore.Communication(level, counts[0], counts[1], counts[2], counts[3], counts[4],
                    counts[5], explanation);
        }

        private AccountScore.PqlStatus pql(double rate) {
            int mask = state.kindsAt(asOf, rate);
            List<PqlKind> kinds = PqlKind.fromMask(mask);
            List<String> triggersHit = new ArrayList<>();
            var triggers = definition.pql().triggers();
            for (int i = 0; i < triggers.size(); i++) {
                if (state.triggerCount(i, asOf) >= triggers.get(i).count()) {
                    triggersHit.add(triggers.get(i).describe());
                }
            }
            Long qualifiedAt = optional(state.qualifiedAt);
            Long timeToPql = qualifiedAt == null ? null : qualifiedAt - state.firstSeen;
            List<Explanation> explanations = new ArrayList<>();
            if (full) {
                if (state.isClosed()) {
                    explanations.add(new Explanation("pql.closed", "not a lead any more: the trial ended "
                            + state.outcome + " on " + Instant.ofEpochMilli(state.outcomeAt), List.of()));
                } else if (kinds.isEmpty() && state.isPql(mask)) {
                    explanations.add(new Explanation("pql.qualified", "qualified on "
                            + Instant.ofEpochMilli(state.qualifiedAt) + " and stays a lead until the trial closes,"
                            + " although no PQL kind applies any more", List.of()));
                    explanations.add(criteriaExplanation(rate, false));
                } else if (kinds.isEmpty()) {
                    explanations.add(criteriaExplanation(rate, false));
                }
                for (PqlKind kind : kinds) {
                    explanations.add(switch (kind) {
                        case CRITERIA_MET -> criteriaExplanation(rate, true);
                        case HAND_RAISER -> new Explanation("pql.hand_raiser", "sales assistance requested"
                                + (state.handRaisedBy == null ? "" : " by " + state.handRaisedBy) + " on "
                                + Instant.ofEpochMilli(state.handRaisedAt), List.of());
                        case LIMIT_REACHED -> new Explanation("pql.limit_reached", "plan limit '" + state.limitName
                                + "' reached (usage " + plain(state.limitUsage) + " of " + plain(state.limitValue)
                                + ") on " + Instant.ofEpochMilli(state.limitReachedAt) + "; " + state.limitsReached
                                + " limit event(s) in all",
                                List.of(factor("usage", state.limitUsage, state.limitName),
                                        factor("limit", state.limitValue, state.limitName)));
                        case TOUCHLESS_PURCHASE -> new Explanation("pql.touchless_purchase",
                                "converted without a sales touch on " + Instant.ofEpochMilli(state.convertedAt),
                                List.of());
                    });
                }
            }
            return new AccountScore.PqlStatus(state.isPql(mask), kinds, qualifiedAt, timeToPql, triggersHit, explanations);
        }

        /** The activation threshold and the triggers, met or not, with their numbers. */
        private Explanation criteriaExplanation(double rate, boolean met) {
            OpportunitySize size = state.thresholdSize();
            double threshold = definition.pql().thresholdFor(size);
            String sizeText = state.opportunitySize() == null ? "unknown opportunity size (SMALL threshold applies)"
                    : size + (state.opportunitySizeDerived() ? " (derived from the deal size)" : "");
            List<Explanation.Factor> factors = new ArrayList<>();
            factors.add(factor("activation_rate", rate, "ratio"));
            factors.add(factor("threshold", threshold, "for " + size));
            StringBuilder triggerText = new StringBuilder();
            var triggers = definition.pql().triggers();
            String firstHit = null;
            for (int i = 0; i < triggers.size(); i++) {
                double count = state.triggerCount(i, asOf);
                factors.add(factor("trigger." + triggers.get(i).action(), count, ">= " + plain(triggers.get(i).count())
                        + (triggers.get(i).withinDays() > 0 ? " within " + triggers.get(i).withinDays() + " days" : "")));
                if (count >= triggers.get(i).count() && firstHit == null) {
                    firstHit = triggers.get(i).describe() + " (" + plain(count) + ")";
                }
                if (triggerText.length() > 0) {
                    triggerText.append(", ");
                }
                triggerText.append(triggers.get(i).action()).append(' ').append(plain(count)).append(" of ")
                        .append(plain(triggers.get(i).count()));
            }
            boolean activationMet = rate >= threshold && !definition.steps().isEmpty();
            String text;
            String rule;
            if (activationMet) {
                rule = "pql.criteria.activation_threshold";
                text = "activation " + percent(rate) + " >= " + percent(threshold) + " threshold for " + sizeText;
            } else if (met) {
                rule = "pql.criteria.trigger";
                text = "behavioural trigger hit: " + firstHit;
            } else {
                rule = "pql.not_qualified";
                text = "activation " + percent(rate) + " < " + percent(threshold) + " threshold for " + sizeText
                        + (triggers.isEmpty() ? "" : "; no trigger hit (" + triggerText + ")");
            }
            return new Explanation(rule, text, factors);
        }

        private List<AccountScore.Champion> champions() {
            UserTable users = state.users;
            double[] anchored = state.ledger.userAnchoredScores(asOf, state.newest, users.size());
            List<AccountScore.Champion> champions = new ArrayList<>();
            for (int user = 0; user < users.size(); user++) {
                double score = state.toScore(anchored[user], asOf);
                double rate = state.userActivationRate(user);
                if (score > 0 || rate > 0) {
                    champions.add(new AccountScore.Champion(users.id(user), users.email(user), rate, score));
                }
            }
            champions.sort(Comparator.comparingDouble(AccountScore.Champion::engagementScore).reversed()
                    .thenComparing(Comparator.comparingDouble(AccountScore.Champion::activationRate).reversed())
                    .thenComparing(AccountScore.Champion::userId));
            return champions.size() > CHAMPIONS ? List.copyOf(champions.subList(0, CHAMPIONS)) : champions;
        }

        private AccountScore.Activity activity() {
            UserTable users = state.users;
            return new AccountScore.Activity(users.activeWithin(asOf, DAY), users.activeWithin(asOf, 7 * DAY),
                    users.activeWithin(asOf, 30 * DAY), users.size());
        }

        private AccountScore.ClosedOutcome outcome() {
            if (state.outcome == null) {
                return null;
            }
            return new AccountScore.ClosedOutcome(state.outcome, state.outcomeAt, state.outcomeAmountMicros,
                    state.outcomeCurrency, state.outcomeSalesTouched, state.outcomeActivationLevel,
                    state.outcomeEngagementLevel, state.outcomeCommunicationLevel);
        }

        private static Long optional(long value) {
            return value == AccountState.NONE ? null : value;
        }
    }
}
