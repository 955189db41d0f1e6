package pql.forecast.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes the explanation of a classification: the levels, the numbers behind them, the row of the
 * seed's table that matched (or why the nearest one was taken) and the odds that follow.
 *
 * <p>Built with a plain StringBuilder: an export explains every open trial, 100k+ of them.
 */
public final class PersonaExplainer {

    /**
     * @param evidence the numbers behind the levels; null when only the levels are known (a closed
     *     trial's levels just before it closed)
     * @param context what the levels describe when not the trial now, e.g. "just before it closed
     *     (CONVERTED 2025-03-04)"; null for an open trial
     * @param oddsSource where the odds come from, e.g. "seed 004" or "definition v3"
     */
    public Explanation explain(PersonaMatch match, Odds odds, String oddsSource, LevelEvidence evidence, String context) {
        return new Explanation(match.kind().rule(), text(match, odds, oddsSource, evidence, context),
                factors(match, odds, oddsSource, evidence));
    }

    /** The sentence alone (an export line's explanation). */
    public String text(PersonaMatch match, Odds odds, String oddsSource, LevelEvidence evidence, String context) {
        Levels levels = match.levels();
        Persona persona = match.persona();
        StringBuilder text = new StringBuilder(240);
        text.append(persona.displayName());
        if (match.approximate()) {
            text.append(" (approximate)");
        }
        text.append(": ");
        if (context != null) {
            text.append("levels ").append(context).append(": ");
        }
        describeLevels(text, levels, evidence);
        switch (match.kind()) {
            case EXACT -> text.append(" match the seed's ").append(levels).append(" row");
            case EXACT_BY_FIT -> text.append(" with ").append(match.fit()).append(" fit match the seed's ")
                    .append(levels).append(" row for ").append(match.fit() == Fit.GOOD
                            ? "good fit (budget and resources)" : "poor fit (no budget or resources)");
            case FIT_UNKNOWN -> text.append(" match ").append(levels)
                    .append(", which the seed splits by fit; no fit is on record, so the trial is taken as good fit"
                            + " (Incompatible Ignoramus needs a poor fit on record)");
            case NEAREST -> {
                text.append("; no persona has ").append(levels).append(", the nearest row is ")
                        .append(persona.indicators());
                if (persona.fitRequirement() != Persona.FitRequirement.ANY) {
                    text.append(" (").append(match.fit() == Fit.UNKNOWN ? "fit unknown, taken as good"
                            : match.fit().name().toLowerCase(java.util.Locale.ROOT) + " fit").append(')');
                }
                text.append(" at level distance ").append(match.distance());
                if (!match.ties().isEmpty()) {
                    text.append(", tied with ");
                    for (int i = 0; i < match.ties().size(); i++) {
                        Persona tie = match.ties().get(i);
                        if (i > 0) {
                            text.append(i == match.ties().size() - 1 ? " and " : ", ");
                        }
                        text.append(tie.displayName()).append(" (").append(tie.indicators()).append(')');
                    }
                    text.append(": ties go to the lower-odds row of the seed's table");
                }
            }
        }
        text.append("; odds ").append(odds.percent()).append(" (").append(oddsSource).append(").");
        return text.toString();
    }

    private static void describeLevels(StringBuilder text, Levels levels, LevelEvidence evidence) {
        text.append("activation ").append(levels.activation());
        if (evidence != null) {
            text.append(" (");
            appendPercent(text, evidence.activationRate());
            text.append(')');
        }
        text.append(", engagement ").append(levels.engagement());
        if (evidence != null) {
            text.append(" (");
            appendOneDecimal(text, evidence.engagementScore());
            text.append(" points, percentile ");
            appendOneDecimal(text, evidence.engagementPercentile());
            text.append(')');
        }
        text.append(", communication ").append(levels.communication());
        if (evidence != null) {
            text.append(" (").append(evidence.inbound()).append(" inbound, ").append(evidence.responses())
                    .append(" responded)");
        }
    }

    /**
     * The numbers, with short constant details (units): the levels themselves are in the text and
     * in the classification, and an export carries one explanation per row.
     */
    private static List<Explanation.Factor> factors(PersonaMatch match, Odds odds, String oddsSource, LevelEvidence evidence) {
        List<Explanation.Factor> factors = new ArrayList<>(8);
        if (evidence != null) {
            factors.add(new Explanation.Factor("activation_rate", evidence.activationRate(), "ratio"));
            factors.add(new Explanation.Factor("engagement_score", evidence.engagementScore(), "points"));
            factors.add(new Explanation.Factor("engagement_percentile", evidence.engagementPercentile(), "0..100"));
            factors.add(new Explanation.Factor("inbound", evidence.inbound(), "in window"));
            factors.add(new Explanation.Factor("responses", evidence.responses(), "in window"));
        }
        factors.add(new Explanation.Factor("fit", match.fit() == Fit.GOOD ? 1 : match.fit() == Fit.POOR ? 0 : -1,
                match.fit().name()));
        if (match.kind() == PersonaMatch.Kind.NEAREST) {
            factors.add(new Explanation.Factor("level_distance", match.distance(), "level steps"));
        }
        factors.add(new Explanation.Factor("odds", odds.value(), oddsSource));
        return factors;
    }

    /** 0.8333 -> "83.3%", 0.5 -> "50%". */
    static void appendPercent(StringBuilder text, double ratio) {
        appendOneDecimal(text, ratio * 100);
        text.append('%');
    }

    /** Rounded to one decimal, without a trailing ".0": 212.46 -> "212.5", 3.0 -> "3". */
    static void appendOneDecimal(StringBuilder text, double value) {
        if (!Double.isFinite(value)) {
            text.append(value);
            return;
        }
        long tenths = Math.round(value * 10);
        if (tenths < 0) {
            text.append('-');
            tenths = -tenths;
        }
        text.append(tenths / 10);
        if (tenths % 10 != 0) {
            text.append('.').append(tenths % 10);
        }
    }
}
