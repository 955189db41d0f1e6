package pql.forecast.domain.accuracy;

import java.util.List;
import java.util.Map;
import pql.forecast.domain.Persona;

/**
 * Forecast accuracy over a run of periods: each period, the summary over all of them, and per
 * persona (in seed 004's order) over the periods it was judged in.
 */
public record AccuracyReport(List<PeriodAccuracy> periods, AccuracySummary total, Map<Persona, AccuracySummary> personas) {

    public AccuracyReport {
        periods = List.copyOf(periods);
    }
}
