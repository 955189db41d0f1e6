package pql.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import pql.v1.ForecastFilter;
import pql.v1.OpportunitySize;
import pql.v1.Persona;

/** The forecast's filter options, the same on every forecast command (a picocli mixin). */
final class ForecastFilterOptions {

    @Option(names = "--persona", split = ",", description = "Only these personas, e.g. golden_lead,fizzler.")
    List<String> personas = new ArrayList<>();

    @Option(names = "--size", split = ",", description = "Only these sizes: small, mid, large.")
    List<String> sizes = new ArrayList<>();

    @Option(names = "--owner", split = ",", description = "Only these owners.")
    List<String> owners = new ArrayList<>();

    @Option(names = "--month", split = ",", description = "Only trials closing in these months (YYYY-MM).")
    List<String> months = new ArrayList<>();

    /** @param spec the command using the options, for its usage errors */
    ForecastFilter filter(CommandSpec spec) {
        return ForecastFilter.newBuilder().addAllOwners(owners).addAllCloseMonths(months.stream().map(String::trim).toList())
                .addAllPersonas(Usage.enums(spec, "--persona", personas, Persona.getDescriptor(), Persona::forNumber))
                .addAllOpportunitySizes(Usage.enums(spec, "--size", sizes, OpportunitySize.getDescriptor(), OpportunitySize::forNumber))
                .build();
    }
}
