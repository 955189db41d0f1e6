package pql.forecast.domain.accuracy;

import java.util.Map;
import pql.forecast.domain.Persona;

/** One period judged: in total, and for each persona with a trial forecast or a conversion in it. */
public record PeriodAccuracy(Period period, PeriodResult total, Map<Persona, PeriodResult> personas) {

    public PeriodAccuracy {
        personas = Map.copyOf(personas);
    }
}
