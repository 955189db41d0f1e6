package pql.forecast.domain.revenue;

import java.util.Set;
import pql.forecast.domain.OpportunitySize;
import pql.forecast.domain.Persona;

/** Which trials a forecast counts. An empty set matches everything. */
public record ForecastFilter(Set<Persona> personas, Set<OpportunitySize> opportunitySizes, Set<String> owners,
        Set<String> closeMonths) {

    public static final ForecastFilter ALL = new ForecastFilter(Set.of(), Set.of(), Set.of(), Set.of());

    public ForecastFilter {
        personas = Set.copyOf(personas);
        opportunitySizes = Set.copyOf(opportunitySizes);
        owners = Set.copyOf(owners);
        closeMonths = Set.copyOf(closeMonths);
    }

    public boolean matches(Persona persona, OpportunitySize size, String owner, String closeMonth) {
        return (personas.isEmpty() || personas.contains(persona))
                && (opportunitySizes.isEmpty() || opportunitySizes.contains(size))
                && (owners.isEmpty() || owners.contains(owner))
                && (closeMonths.isEmpty() || closeMonths.contains(closeMonth));
    }
}
