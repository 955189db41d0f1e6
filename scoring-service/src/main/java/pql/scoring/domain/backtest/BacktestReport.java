package pql.scoring.domain.backtest;

import java.util.List;
import pql.scoring.domain.Persona;
import pql.statistics.WilsonInterval;

/**
 * What a backtest found for one definition over the trials that closed in [from, to) (epoch ms).
 * Sample sizes: base rate over {@code trialsClosed}; precision, F1 and lift over {@code pqls}; recall
 * over {@code trialsConverted}; lead time over the PQLs that converted; Brier over the closed trials
 * with a persona.
 */
public record BacktestReport(
        long from,
        long to,
        long trialsClosed,
        long trialsConverted,
        long pqls,
        BacktestFigure baseConversionRate,
        BacktestFigure precision,
        BacktestFigure recall,
        BacktestFigure f1,
        BacktestFigure lift,
        BacktestFigure medianLeadTimeMillis,
        BacktestFigure brierScore,
        List<PersonaResult> personas,
        int minimumSample,
        double confidence,
        String method) {

    public BacktestReport {
        personas = List.copyOf(personas);
    }

    /**
     * One persona's odds under the definition against its closed trials.
     *
     * @param interval Wilson interval of the observed rate; null unless the rate is measured
     */
    public record PersonaResult(Persona persona, double odds, long trialsClosed, long trialsConverted,
            BacktestFigure observedRate, WilsonInterval interval, BacktestFigure brierScore) {

        /** The odds fall outside the interval: the definition over- or underrates the persona. */
        public boolean oddsOutsideInterval() {
            return interval != null && !interval.contains(odds);
        }
    }
}
