package pql.scoring.domain.discovery;

import pql.statistics.WilsonInterval;

/**
 * One candidate rule against the closed trials: how many met it before closing and how many of
 * those converted, the same for the rest, the lift (rate when met / rate when not), the Wilson
 * interval of the rate when met, the test's p-value and its Benjamini-Hochberg q-value.
 */
public record RuleFinding(CandidateRule rule, long trialsMet, long convertedMet, long trialsNotMet, long convertedNotMet,
        WilsonInterval rateMetInterval, double pValue, double qValue, RuleVerdict verdict) {

    public double rateMet() {
        return trialsMet == 0 ? 0 : (double) convertedMet / trialsMet;
    }

    public double rateNotMet() {
        return trialsNotMet == 0 ? 0 : (double) convertedNotMet / trialsNotMet;
    }

    /** Rate when met over rate when not; infinite when no trial that missed it converted. */
    public double lift() {
        return rateNotMet() == 0 ? (rateMet() == 0 ? 1 : Double.POSITIVE_INFINITY) : rateMet() / rateNotMet();
    }

    /** Why, in one line: lift, interval, support, q-value (the draft's comments). */
    public String why() {
        // Below 1e-12 a double's tail probability is rounding, not a figure: say so instead of printing 0.
        String q = qValue < 1e-12 ? "q<1e-12" : String.format(java.util.Locale.ROOT, "q=%.2g", qValue);
        return String.format(java.util.Locale.ROOT, "lift %.2f: %.0f%% of %d that did it converted (95%% CI %.0f-%.0f%%) vs %.0f%% of %d; %s",
                lift(), rateMet() * 100, trialsMet, rateMetInterval.low() * 100, rateMetInterval.high() * 100,
                rateNotMet() * 100, trialsNotMet, q);
    }
}
