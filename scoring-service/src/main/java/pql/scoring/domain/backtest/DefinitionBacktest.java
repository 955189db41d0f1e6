package pql.scoring.domain.backtest;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import pql.scoring.domain.Persona;
import pql.statistics.BrierScore;
import pql.statistics.Quantiles;
import pql.statistics.WilsonInterval;

/**
 * Judges a definition by the trials that closed in a period: how many of its PQLs converted
 * (precision), how many conversions it called before they happened (recall), how much better than the
 * base rate its PQLs convert (lift), how long before the conversion it called them (median lead time),
 * and how its persona odds compare with what each persona's trials did (Wilson interval, Brier score).
 *
 * <p>A figure needs {@link #MINIMUM_SAMPLE} observations to be reported: under 20 a share moves by 5
 * points or more with a single trial, which is noise, not a property of the definition.
 */
public final class DefinitionBacktest {

    /** Observations a figure needs before it is reported. */
    public static final int MINIMUM_SAMPLE = 20;
    /** Confidence of the persona intervals. */
    public static final double CONFIDENCE = 0.95;

    private DefinitionBacktest() {
    }

    /**
     * @param trials closed trials of any period (those outside [from, to) are left out)
     * @param odds the definition's conversion odds per persona (all seven)
     */
    public static BacktestReport run(List<ClosedTrial> trials, Map<Persona, Double> odds, long from, long to) {
        if (from >= to) {
            throw new IllegalArgumentException("from must be before to");
        }
        long closed = 0;
        long converted = 0;
        long pqls = 0;
        long pqlsConverted = 0;
        List<Long> leadTimes = new ArrayList<>();
        BrierScore brier = new BrierScore();
        EnumMap<Persona, long[]> perPersona = new EnumMap<>(Persona.class);
        EnumMap<Persona, BrierScore> brierPerPersona = new EnumMap<>(Persona.class);
        for (Persona persona : Persona.values()) {
            perPersona.put(persona, new long[2]);
            brierPerPersona.put(persona, new BrierScore());
        }
        for (ClosedTrial trial : trials) {
            if (trial.closedAt() < from || trial.closedAt() >= to) {
                continue;
            }
            closed++;
            boolean pql = trial.qualifiedBeforeClose();
            if (trial.converted()) {
                converted++;
            }
            if (pql) {
                pqls++;
                if (trial.converted()) {
                    pqlsConverted++;
                    leadTimes.add(trial.closedAt() - trial.qualifiedAt());
                }
            }
            Persona persona = trial.personaBeforeClose();
            if (persona != null) {
                long[] counts = perPersona.get(persona);
                counts[0]++;
                counts[1] += trial.converted() ? 1 : 0;
                brierPerPersona.get(persona).add(odds.get(persona), trial.converted());
                brier.add(odds.get(persona), trial.converted());
            }
        }
        int min = MINIMUM_SAMPLE;
        double baseRate = ratio(converted, closed);
        double precision = ratio(pqlsConverted, pqls);
        double recall = ratio(pqlsConverted, converted);
        BacktestFigure lift = closed < min ? BacktestFigure.notEnoughData(pqls)
                : BacktestFigure.of(precision / baseRate, pqls, min);
        BacktestFigure leadTime = leadTimes.isEmpty() ? BacktestFigure.notEnoughData(0)
                : BacktestFigure.of(Quantiles.nearestRank(leadTimes.stream().mapToLong(Long::longValue).toArray(), 0.5),
                        leadTimes.size(), min);
        // F1 of a definition that called no conversion right is 0, not undefined
        double f1Value = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        BacktestFigure f1 = converted < min ? BacktestFigure.notEnoughData(pqls) : BacktestFigure.of(f1Value, pqls, min);
        List<BacktestReport.PersonaResult> personas = new ArrayList<>();
        for (Persona persona : Persona.values()) {
            long n = perPersona.get(persona)[0];
            long yes = perPersona.get(persona)[1];
            BacktestFigure observed = BacktestFigure.of(ratio(yes, n), n, min);
            personas.add(new BacktestReport.PersonaResult(persona, odds.get(persona), n, yes, observed,
                    observed.measured() ? WilsonInterval.of(yes, n, CONFIDENCE) : null,
                    BacktestFigure.of(brierPerPersona.get(persona).value(), n, min)));
        }
        return new BacktestReport(from, to, closed, converted, pqls, BacktestFigure.of(baseRate, closed, min),
                BacktestFigure.of(precision, pqls, min), BacktestFigure.of(recall, converted, min), f1, lift, leadTime,
                BacktestFigure.of(brier.value(), brier.count(), min), personas, min, CONFIDENCE, METHOD);
    }

    private static final String METHOD = String.format(Locale.ROOT,
            "trials whose first CONVERTED or LOST outcome falls in [from, to); a PQL qualified strictly before that;"
                    + " precision = PQLs converted / PQLs, recall = PQLs converted / conversions, lift = precision / base rate,"
                    + " lead time = conversion - qualified_at (median by nearest rank); personas from the levels just before"
                    + " closing, Wilson interval at %.0f%%, Brier = mean (odds - outcome)^2; a figure needs %d observations",
            CONFIDENCE * 100, MINIMUM_SAMPLE);

    private static double ratio(long part, long whole) {
        return whole == 0 ? Double.NaN : (double) part / whole;
    }
}
