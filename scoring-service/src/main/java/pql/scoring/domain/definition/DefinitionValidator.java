package pql.scoring.domain.definition;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import pql.scoring.domain.PercentileCohort;
import pql.scoring.domain.Persona;
import pql.scoring.domain.definition.ScoringDefinition.ActionWeight;
import pql.scoring.domain.definition.ScoringDefinition.ActivationStep;
import pql.scoring.domain.definition.ScoringDefinition.BehaviouralTrigger;
import pql.scoring.domain.definition.ScoringDefinition.CommunicationRule;
import pql.scoring.domain.definition.ScoringDefinition.Cutoffs;
import pql.scoring.domain.definition.ScoringDefinition.EngagementRule;
import pql.scoring.domain.definition.ScoringDefinition.LevelCutoffs;
import pql.scoring.domain.definition.ScoringDefinition.OpportunityBands;
import pql.scoring.domain.definition.ScoringDefinition.PqlRule;

/**
 * Checks a draft definition field by field and fills in what was left out.
 *
 * <p>Errors (the definition cannot be published): missing name or complexity, no checklist step,
 * malformed or duplicate keys and actions, counts below 1, thresholds and cut-offs outside 0..1,
 * medium above high, negative weights or windows, duplicate or unknown personas, odds outside 0..1,
 * and numbers past {@link DefinitionBounds} (weights above 10^6, counts above 10^12, engagement
 * cut-offs above 10^15: each could make a score infinite).
 * Warnings (published anyway, reported back): fewer than 5 or more than 10 checklist steps (seed
 * 004: "try to stick to 5-10"), a step on an excluded action, thresholds that do not fall as the
 * opportunity grows (seed 000: bigger deals qualify earlier), a zero threshold.
 *
 * <p>Sections left out take the preset of the definition's product complexity (the PQL thresholds
 * are the point of that field); missing personas take seed 004's odds.
 */
public final class DefinitionValidator {

    public static final int MIN_RECOMMENDED_STEPS = 5;
    public static final int MAX_RECOMMENDED_STEPS = 10;
    public static final int MAX_STEPS = 50;
    public static final int MAX_WEIGHTS = 500;
    public static final int MAX_TRIGGERS = 50;
    public static final int MAX_DAYS = 3650;

    private static final Pattern KEY = Pattern.compile("[a-z0-9_]{1,64}");
    private static final Pattern ACTION = Pattern.compile("[A-Za-z0-9_.:/-]{1,128}");

    private final List<Violation> errors = new ArrayList<>();
    private final List<Violation> warnings = new ArrayList<>();

    private DefinitionValidator() {
    }

    public static ValidationReport validate(ScoringDefinition draft) {
        return new DefinitionValidator().check(draft);
    }

    private ValidationReport check(ScoringDefinition draft) {
        if (draft == null) {
            error("", "a definition is required");
            return new ValidationReport(errors, warnings, null);
        }
        String name = draft.name() == null ? "" : draft.name().strip();
        if (name.isEmpty()) {
            error("name", "required, 1..100 characters");
        } else if (name.length() > 100) {
            error("name", "at most 100 characters, got " + name.length());
        }
        String description = draft.description() == null ? "" : draft.description();
        if (description.length() > 2000) {
            error("description", "at most 2,000 characters");
        }
        if (draft.productComplexity() == null) {
            error("product_complexity", "required: SIMPLE, INTERMEDIATE or COMPLEX");
        }
        // Defaults come from the complexity's preset; INTERMEDIATE (the seed) when it is missing so
        // that the remaining checks still run and report everything at once.
        ScoringDefinition preset = DefinitionPresets.forComplexity(
                draft.productComplexity() == null ? pql.scoring.domain.ProductComplexity.INTERMEDIATE
                        : draft.productComplexity());

        List<ActivationStep> steps = checkSteps(draft.steps());
        EngagementRule engagement = draft.engagement() == null ? preset.engagement() : checkEngagement(draft.engagement());
        CommunicationRule communication = draft.communication() == null ? preset.communication()
                : checkCommunication(draft.communication());
        LevelCutoffs levels = draft.levels() == null ? preset.levels() : checkLevels(draft.levels());
        PqlRule pql = draft.pql() == null ? preset.pql() : checkPql(draft.pql());
        OpportunityBands bands = draft.opportunityBands() == null ? preset.opportunityBands()
                : checkBands(draft.opportunityBands());
        Map<Persona, Double> odds = checkOdds(draft.personaOdds());
        warnStepsOnExcludedActions(steps, engagement);

        if (!errors.isEmpty()) {
            return new ValidationReport(errors, warnings, null);
        }
        ScoringDefinition valid = new ScoringDefinition(name, description,
                draft.productComplexity(), steps, engagement, communication, levels, pql, bands, odds);
        // none given: one made from the values, so `definitions list/show` say what the version does
        return new ValidationReport(errors, warnings, description.isBlank()
                ? valid.withName(name, DefinitionSummary.of(valid)) : valid);
    }

    private List<ActivationStep> checkSteps(List<ActivationStep> steps) {
        if (steps == null || steps.isEmpty()) {
            error("activation.steps", "at least one step is required (" + MIN_RECOMMENDED_STEPS + "-"
                    + MAX_RECOMMENDED_STEPS + " recommended)");
            return List.of();
        }
        if (steps.size() > MAX_STEPS) {
            error("activation.steps", "at most " + MAX_STEPS + " steps, got " + steps.size());
        } else if (steps.size() < MIN_RECOMMENDED_STEPS || steps.size() > MAX_RECOMMENDED_STEPS) {
            warning("activation.steps", steps.size() + " steps; seed 004 recommends " + MIN_RECOMMENDED_STEPS
                    + "-" + MAX_RECOMMENDED_STEPS + " steps to first value");
        }
        Map<String, Integer> keys = new HashMap<>();
        List<ActivationStep> cleaned = new ArrayList<>(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            ActivationStep step = steps.get(i);
            String path = "activation.steps[" + i + "]";
            String key = nullToEmpty(step.key());
            if (!KEY.matcher(key).matches()) {
                error(path + ".key", key.isEmpty() ? "required, 1..64 characters of [a-z0-9_]"
                        : "must be 1..64 characters of [a-z0-9_], got '" + key + "'");
            } else {
                Integer first = keys.putIfAbsent(key, i);
                if (first != null) {
                    error(path + ".key", "duplicate key '" + key + "' (also activation.steps[" + first + "])");
                }
            }
            checkAction(path + ".action", step.action());
            if (!Double.isFinite(step.minCount()) || step.minCount() < 1 || step.minCount() > DefinitionBounds.MAX_COUNT) {
                error(path + ".min_count", "must be a finite number within 1.." + Numbers.plain(DefinitionBounds.MAX_COUNT)
                        + ", got " + Numbers.plain(step.minCount()));
            }
            String description = nullToEmpty(step.description());
            if (description.length() > 500) {
                error(path + ".description", "at most 500 characters");
            }
            cleaned.add(new ActivationStep(key, nullToEmpty(step.action()), step.minCount(), description));
        }
        return cleaned;
    }

    private EngagementRule checkEngagement(EngagementRule rule) {
        String path = "engagement";
        if (rule.weights().size() > MAX_WEIGHTS) {
            error(path + ".weights", "at most " + MAX_WEIGHTS + " weights");
        }
        Map<String, Integer> weighted = new HashMap<>();
        for (int i = 0; i < rule.weights().size(); i++) {
            ActionWeight weight = rule.weights().get(i);
            String at = path + ".weights[" + i + "]";
            if (checkAction(at + ".action", weight.action())) {
                Integer first = weighted.putIfAbsent(weight.action(), i);
                if (first != null) {
                    error(at + ".action", "duplicate action '" + weight.action() + "' (also " + path + ".weights["
                            + first + "])");
                }
            }
            checkBounded(at + ".weight", weight.weight(), DefinitionBounds.MAX_WEIGHT);
        }
        checkBounded(path + ".default_weight", rule.defaultWeight(), DefinitionBounds.MAX_WEIGHT);
        Set<String> excluded = new HashSet<>();
        for (int i = 0; i < rule.excludedActions().size(); i++) {
            String action = rule.excludedActions().get(i);
            String at = path + ".excluded_actions[" + i + "]";
            if (checkAction(at, action)) {
                if (!excluded.add(action)) {
                    error(at, "duplicate action '" + action + "'");
                } else if (weighted.containsKey(action)) {
                    error(at, "'" + action + "' is both weighted (" + path + ".weights[" + weighted.get(action)
                            + "]) and excluded");
                }
            }
        }
        if (rule.windowDays() < 0 || rule.windowDays() > MAX_DAYS) {
            error(path + ".window_days", "must be 0 (all time) .. " + MAX_DAYS + ", got " + rule.windowDays());
        }
        if (!Double.isFinite(rule.halfLifeDays()) || rule.halfLifeDays() < 0 || rule.halfLifeDays() > MAX_DAYS) {
            error(path + ".half_life_days", "must be 0 (no decay) .. " + MAX_DAYS + ", got "
                    + Numbers.plain(rule.halfLifeDays()));
        } else if (rule.halfLifeDays() > 0 && rule.halfLifeDays() * 86_400_000d < 60_000) {
            error(path + ".half_life_days", "must be at least one minute (0.000695 days) when set");
        }
        PercentileCohort cohort = rule.cohort() == null ? PercentileCohort.OPPORTUNITY_SIZE : rule.cohort();
        return new EngagementRule(rule.weights(), rule.defaultWeight(), rule.excludedActions(), rule.windowDays(),
                rule.halfLifeDays(), cohort);
    }

    private CommunicationRule checkCommunication(CommunicationRule rule) {
        if (rule.windowDays() < 1 || rule.windowDays() > MAX_DAYS) {
            error("communication.window_days", "must be 1.." + MAX_DAYS + ", got " + rule.windowDays());
        }
        if (rule.activeThreshold() < 1) {
            error("communication.active_threshold", "must be >= 1, got " + rule.activeThreshold());
        }
        return rule;
    }

    private LevelCutoffs checkLevels(LevelCutoffs levels) {
        Cutoffs activation = levels.activation();
        Cutoffs engagement = levels.engagement();
        if (activation == null) {
            error("levels.activation", "required when levels are given");
        } else {
            checkRatio("levels.activation.high", activation.high());
            checkRatio("levels.activation.medium", activation.medium());
            if (activation.medium() > activation.high()) {
                error("levels.activation.medium", "must be <= levels.activation.high ("
                        + Numbers.plain(activation.high()) + ")");
            }
        }
        if (engagement == null) {
            error("levels.engagement", "required when levels are given");
        } else {
            checkBounded("levels.engagement.high", engagement.high(), DefinitionBounds.MAX_ENGAGEMENT_CUTOFF);
            checkBounded("levels.engagement.medium", engagement.medium(), DefinitionBounds.MAX_ENGAGEMENT_CUTOFF);
            if (engagement.medium() > engagement.high()) {
                error("levels.engagement.medium", "must be <= levels.engagement.high ("
                        + Numbers.plain(engagement.high()) + ")");
            }
        }
        return levels;
    }

    private PqlRule checkPql(PqlRule rule) {
        checkRatio("pql.small_threshold", rule.smallThreshold());
        checkRatio("pql.mid_threshold", rule.midThreshold());
        checkRatio("pql.large_threshold", rule.largeThreshold());
        if (rule.smallThreshold() < rule.midThreshold() || rule.midThreshold() < rule.largeThreshold()) {
            warning("pql", "thresholds usually fall as the opportunity grows (SMALL >= MID >= LARGE, seed 000)");
        }
        if (rule.smallThreshold() == 0 || rule.midThreshold() == 0 || rule.largeThreshold() == 0) {
            warning("pql", "a threshold of 0 makes every account of that size a PQL at signup");
        }
        if (rule.triggers().size() > MAX_TRIGGERS) {
            error("pql.triggers", "at most " + MAX_TRIGGERS + " triggers");
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < rule.triggers().size(); i++) {
            BehaviouralTrigger trigger = rule.triggers().get(i);
            String at = "pql.triggers[" + i + "]";
            checkAction(at + ".action", trigger.action());
            if (!Double.isFinite(trigger.count()) || trigger.count() < 1 || trigger.count() > DefinitionBounds.MAX_COUNT) {
                error(at + ".count", "must be a finite number within 1.." + Numbers.plain(DefinitionBounds.MAX_COUNT)
                        + ", got " + Numbers.plain(trigger.count()));
            }
            if (trigger.withinDays() < 0 || trigger.withinDays() > MAX_DAYS) {
                error(at + ".within_days", "must be 0 (since the account started) .. " + MAX_DAYS + ", got "
                        + trigger.withinDays());
            }
            Integer first = seen.putIfAbsent(trigger.describe(), i);
            if (first != null) {
                error(at, "duplicate trigger (same as pql.triggers[" + first + "])");
            }
        }
        return rule;
    }

    private OpportunityBands checkBands(OpportunityBands bands) {
        if (bands.midFromMicros() < 0) {
            error("opportunity_bands.mid_from_micros", "must be >= 0");
        }
        if (bands.largeFromMicros() <= bands.midFromMicros()) {
            error("opportunity_bands.large_from_micros", "must be greater than mid_from_micros ("
                    + bands.midFromMicros() + ")");
        }
        return bands;
    }

    private Map<Persona, Double> checkOdds(Map<Persona, Double> given) {
        Map<Persona, Double> odds = new EnumMap<>(Persona.class);
        odds.putAll(DefinitionPresets.seedPersonaOdds());
        if (given != null) {
            given.forEach((persona, value) -> odds.put(persona, value));
        }
        return odds;
    }

    /**
     * Checks persona odds given as a list (the wire form), where duplicates and unknown personas
     * can occur; the map form of the draft cannot hold them. Call before {@link #validate}.
     */
    public static List<Violation> checkPersonaOddsList(List<Map.Entry<Persona, Double>> entries, String path) {
        List<Violation> found = new ArrayList<>();
        Map<Persona, Integer> seen = new EnumMap<>(Persona.class);
        for (int i = 0; i < entries.size(); i++) {
            Map.Entry<Persona, Double> entry = entries.get(i);
            String at = path + "[" + i + "]";
            if (entry.getKey() == null) {
                found.add(new Violation(at + ".persona", "required: one of " + java.util.Arrays.toString(Persona.values())));
            } else {
                Integer first = seen.putIfAbsent(entry.getKey(), i);
                if (first != null) {
                    found.add(new Violation(at + ".persona", "duplicate persona " + entry.getKey() + " (also " + path
                            + "[" + first + "])"));
                }
            }
            double value = entry.getValue();
            if (!Double.isFinite(value) || value < 0 || value > 1) {
                found.add(new Violation(at + ".odds", "must be within 0..1, got " + Numbers.plain(value)));
            }
        }
        return found;
    }

    private void warnStepsOnExcludedActions(List<ActivationStep> steps, EngagementRule engagement) {
        for (int i = 0; i < steps.size(); i++) {
            if (engagement.excludedActions().contains(steps.get(i).action())) {
                warning("activation.steps[" + i + "].action", "'" + steps.get(i).action()
                        + "' is excluded from engagement; it still counts for this step");
            }
        }
    }

    private boolean checkAction(String path, String action) {
        String value = nullToEmpty(action);
        if (value.isEmpty()) {
            error(path, "required: 1..128 characters of [A-Za-z0-9_.:/-]");
            return false;
        }
        if (!ACTION.matcher(value).matches()) {
            error(path, "must be 1..128 characters of [A-Za-z0-9_.:/-], got '" + abbreviate(value) + "'");
            return false;
        }
        return true;
    }

    private void checkRatio(String path, double value) {
        if (!Double.isFinite(value) || value < 0 || value > 1) {
            error(path, "must be within 0..1, got " + Numbers.plain(value));
        }
    }

    private void checkBounded(String path, double value, double max) {
        if (!Double.isFinite(value) || value < 0 || value > max) {
            error(path, "must be a finite number within 0.." + Numbers.plain(max) + ", got " + Numbers.plain(value));
        }
    }

    private void error(String field, String message) {
        errors.add(new Violation(field, message));
    }

    private void warning(String field, String message) {
        warnings.add(new Violation(field, message));
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }

    private static String abbreviate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }
}
