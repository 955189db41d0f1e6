package pql.scoring.domain.discovery;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import pql.statistics.BenjaminiHochberg;
import pql.statistics.TwoProportionTest;
import pql.statistics.WilsonInterval;

/**
 * Which behaviours predict conversion: every action and every "count >= N within D days" rule of
 * the grid, the conversion rate of closed trials that met it before closing against those that did
 * not (two-proportion z-test), corrected for the many comparisons with Benjamini-Hochberg so that
 * noise is not suggested.
 */
public final class ConversionDiscovery {

    /** Ranks findings: the higher the low end of the met rate's interval the better, then the larger support. */
    public static final Comparator<RuleFinding> RANK = Comparator
            .comparingDouble((RuleFinding finding) -> -finding.rateMetInterval().low())
            .thenComparingLong(finding -> -finding.trialsMet())
            .thenComparing(finding -> finding.rule().describe());

    private ConversionDiscovery() {
    }

    public static DiscoveryReport discover(List<TrialHistory> trials, DiscoverySettings settings) {
        long converted = trials.stream().filter(TrialHistory::converted).count();
        TreeSet<String> actions = new TreeSet<>();
        trials.forEach(trial -> actions.addAll(trial.actions().keySet()));
        List<RuleFinding> counted = new ArrayList<>();
        for (String action : actions) {
            for (CandidateRule rule : settings.rulesFor(action)) {
                counted.add(count(rule, trials, converted));
            }
        }
        List<RuleFinding> rules = judge(counted, settings);
        rules.sort(RANK);
        Map<String, RuleFinding> bestOfAction = new LinkedHashMap<>();
        Map<String, RuleFinding> bestAnyTime = new LinkedHashMap<>();
        Map<String, RuleFinding> bestWindowed = new LinkedHashMap<>();
        TreeSet<String> tested = new TreeSet<>();
        for (RuleFinding finding : rules) {
            String action = finding.rule().action();
            if (finding.verdict() != RuleVerdict.NOT_ENOUGH_DATA) {
                tested.add(action);
            }
            if (finding.verdict() != RuleVerdict.PREDICTIVE) {
                continue;
            }
            bestOfAction.putIfAbsent(action, finding);
            (finding.rule().withinDays() == 0 ? bestAnyTime : bestWindowed).putIfAbsent(action, finding);
        }
        tested.removeAll(bestOfAction.keySet());
        List<RuleFinding> triggers = bestWindowed.values().stream()
                .filter(windowed -> !bestAnyTime.containsKey(windowed.rule().action())
                        || RANK.compare(windowed, bestAnyTime.get(windowed.rule().action())) < 0)
                .toList();
        return new DiscoveryReport(trials.size(), converted, settings.falseDiscoveryRate(), rules,
                List.copyOf(bestOfAction.values()), List.copyOf(bestAnyTime.values()), triggers, List.copyOf(tested));
    }

    private static RuleFinding count(CandidateRule rule, List<TrialHistory> trials, long converted) {
        long met = 0;
        long metConverted = 0;
        for (TrialHistory trial : trials) {
            if (trial.meets(rule)) {
                met++;
                metConverted += trial.converted() ? 1 : 0;
            }
        }
        return new RuleFinding(rule, met, metConverted, trials.size() - met, converted - metConverted,
                WilsonInterval.of(metConverted, met, DiscoverySettings.CONFIDENCE), 1, 1, RuleVerdict.NOT_ENOUGH_DATA);
    }

    /** The p-values of the supported rules, adjusted together; verdicts at the false-discovery rate. */
    private static List<RuleFinding> judge(List<RuleFinding> counted, DiscoverySettings settings) {
        List<RuleFinding> supported = counted.stream()
                .filter(f -> f.trialsMet() >= settings.minimumSupport() && f.trialsNotMet() >= settings.minimumSupport())
                .toList();
        double[] pValues = supported.stream()
                .mapToDouble(f -> TwoProportionTest.pValue(f.convertedMet(), f.trialsMet(), f.convertedNotMet(), f.trialsNotMet()))
                .toArray();
        double[] qValues = BenjaminiHochberg.adjust(pValues);
        List<RuleFinding> judged = new ArrayList<>(counted.stream().filter(f -> !supported.contains(f)).toList());
        for (int i = 0; i < supported.size(); i++) {
            RuleFinding f = supported.get(i);
            RuleVerdict verdict = qValues[i] > settings.falseDiscoveryRate() ? RuleVerdict.NOT_SIGNIFICANT
                    : f.lift() >= settings.minimumLift() ? RuleVerdict.PREDICTIVE
                    : f.lift() < 1 ? RuleVerdict.NEGATIVE : RuleVerdict.WEAK;
            judged.add(new RuleFinding(f.rule(), f.trialsMet(), f.convertedMet(), f.trialsNotMet(), f.convertedNotMet(),
                    f.rateMetInterval(), pValues[i], qValues[i], verdict));
        }
        return judged;
    }
}
