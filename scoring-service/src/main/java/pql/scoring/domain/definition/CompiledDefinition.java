package pql.scoring.domain.definition;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import pql.scoring.domain.OpportunitySize;
import pql.scoring.domain.definition.ScoringDefinition.ActivationStep;
import pql.scoring.domain.definition.ScoringDefinition.BehaviouralTrigger;

/**
 * A validated definition turned into look-up tables: per action id, the checklist steps and
 * triggers it feeds, its engagement weight and whether it is excluded. Built once per projection;
 * every account of the projection shares it (and its action dictionary).
 */
public final class CompiledDefinition {

    public static final long HOUR_MILLIS = 3_600_000L;
    public static final long DAY_MILLIS = 86_400_000L;
    private static final int[] NONE = new int[0];

    private final int version;
    private final ScoringDefinition definition;
    private final ActionDictionary actions = new ActionDictionary();
    /** Number of actions the definition names: ids below it have the tables below. */
    private final int knownActions;
    private final int[][] stepsByAction;
    private final int[][] triggersByAction;
    private final double[] weightByAction;
    private final boolean[] excludedByAction;
    private final double[] stepMinCounts;
    private final int[] stepActions;
    private final double[] triggerCounts;
    private final long[] triggerWindowsMillis;
    private final long engagementWindowMillis;
    private final long halfLifeMillis;
    private final long communicationWindowMillis;

    public CompiledDefinition(int version, ScoringDefinition definition) {
        this.version = version;
        this.definition = definition;
        List<String> named = new ArrayList<>();
        for (ActivationStep step : definition.steps()) {
            register(named, step.action());
        }
        definition.engagement().weights().forEach(w -> register(named, w.action()));
        definition.engagement().excludedActions().forEach(a -> register(named, a));
        definition.pql().triggers().forEach(t -> register(named, t.action()));
        knownActions = named.size();
        stepsByAction = new int[knownActions][];
        triggersByAction = new int[knownActions][];
        weightByAction = new double[knownActions];
        excludedByAction = new boolean[knownActions];
        Arrays.fill(weightByAction, definition.engagement().defaultWeight());
        Arrays.fill(stepsByAction, NONE);
        Arrays.fill(triggersByAction, NONE);

        List<ActivationStep> steps = definition.steps();
        stepMinCounts = new double[steps.size()];
        stepActions = new int[steps.size()];
        for (int i = 0; i < steps.size(); i++) {
            int id = actions.idOf(steps.get(i).action());
            stepActions[i] = id;
            stepMinCounts[i] = steps.get(i).minCount();
            stepsByAction[id] = append(stepsByAction[id], i);
        }
        definition.engagement().weights().forEach(w -> weightByAction[actions.idOf(w.action())] = w.weight());
        definition.engagement().excludedActions().forEach(a -> excludedByAction[actions.idOf(a)] = true);
        List<BehaviouralTrigger> triggers = definition.pql().triggers();
        triggerCounts = new double[triggers.size()];
        triggerWindowsMillis = new long[triggers.size()];
        for (int i = 0; i < triggers.size(); i++) {
            int id = actions.idOf(triggers.get(i).action());
            triggersByAction[id] = append(triggersByAction[id], i);
            triggerCounts[i] = triggers.get(i).count();
            triggerWindowsMillis[i] = triggers.get(i).withinDays() * DAY_MILLIS;
        }
        engagementWindowMillis = definition.engagement().windowDays() * DAY_MILLIS;
        halfLifeMillis = definition.engagement().halfLifeDays() <= 0 ? 0
                : Math.max(1, Math.round(definition.engagement().halfLifeDays() * DAY_MILLIS));
        communicationWindowMillis = definition.communication().windowDays() * DAY_MILLIS;
    }

    private void register(List<String> named, String action) {
        if (!named.contains(action)) {
            named.add(action);
            actions.idOf(action);
        }
    }

    private static int[] append(int[] values, int value) {
        int[] grown = Arrays.copyOf(values, values.length + 1);
        grown[values.length] = value;
        return grown;
    }

    public int version() {
        return version;
    }

    public ScoringDefinition definition() {
        return definition;
    }

    public ActionDictionary actions() {
        return actions;
    }

    public int actionId(String name) {
        return actions.idOf(name);
    }

    public String actionName(int id) {
        return actions.nameOf(id);
    }

    public int stepCount() {
        return stepMinCounts.length;
    }

    public int triggerCount() {
        return triggerCounts.length;
    }

    public int[] stepsOf(int actionId) {
        return actionId < knownActions ? stepsByAction[actionId] : NONE;
    }

    public int[] triggersOf(int actionId) {
        return actionId < knownActions ? triggersByAction[actionId] : NONE;
    }

    public double weightOf(int actionId) {
        return actionId < knownActions ? weightByAction[actionId] : definition.engagement().defaultWeight();
    }

    public boolean isExcluded(int actionId) {
        return actionId < knownActions && excludedByAction[actionId];
    }

    public double stepMinCount(int step) {
        return stepMinCounts[step];
    }

    public int stepAction(int step) {
        return stepActions[step];
    }

    public double triggerCount(int trigger) {
        return triggerCounts[trigger];
    }

    public long triggerWindowMillis(int trigger) {
        return triggerWindowsMillis[trigger];
    }

    /** 0 = all time. */
    public long engagementWindowMillis() {
        return engagementWindowMillis;
    }

    /** 0 = no decay. Whole milliseconds, so that rebasing the decay anchor is exact. */
    public long halfLifeMillis() {
        return halfLifeMillis;
    }

    public long communicationWindowMillis() {
        return communicationWindowMillis;
    }

    public OpportunitySize sizeOf(OpportunitySize explicit, Long dealSizeMicros) {
        if (explicit != null) {
            return explicit;
        }
        return dealSizeMicros == null ? null : definition.opportunityBands().sizeOf(dealSizeMicros);
    }
}
