package pql.cli;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import pql.common.grpc.WindowedStreamReader;
import pql.gateway.http.ForecastCsv;
import pql.v1.Forecast;
import pql.v1.ForecastDimension;
import pql.v1.ForecastFilter;
import pql.v1.ForecastGroup;
import pql.v1.ForecastLine;
import pql.v1.ForecastServiceGrpc;
import pql.v1.GetForecastRequest;
import pql.v1.OpportunitySize;
import pql.v1.Persona;
import pql.v1.StreamForecastLinesRequest;

@Command(name = "forecast", description = {
    "Expected revenue of open trials (deal size x persona odds) with its P10/P50/P90 range,",
    "grouped; or with --csv every open trial as a CSV line (the finance export)."})
final class ForecastCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--group-by", split = ",", description = "persona, size, owner, month (comma separated).")
    List<String> groupBy = new ArrayList<>();

    @Option(names = "--persona", split = ",", description = "Only these personas, e.g. golden_lead,fizzler.")
    List<String> personas = new ArrayList<>();

    @Option(names = "--size", split = ",", description = "Only these sizes: small, mid, large.")
    List<String> sizes = new ArrayList<>();

    @Option(names = "--owner", split = ",", description = "Only these owners.")
    List<String> owners = new ArrayList<>();

    @Option(names = "--month", split = ",", description = "Only trials closing in these months (YYYY-MM).")
    List<String> months = new ArrayList<>();

    @Option(names = "--as-of", description = "Forecast as of this past instant or date.")
    String asOf;

    @Option(names = "--known-at", description = {"Only events recorded at or before this instant or date count: the",
        "forecast as it was made then (--as-of T --known-at T stays the same forever)."})
    String knownAt;

    @Option(names = "--version", description = "Definition version (default: the active one).")
    int version;

    @Option(names = "--currency", description = "ISO 4217 (default USD).")
    String currency;

    @Option(names = "--csv", description = "Every forecast line as CSV (to stdout, or --out).")
    boolean csv;

    @Option(names = "--out", description = {"With --csv: write to this file; to a directory: a file named after the",
        "export's as_of and known_at in it."})
    Path outFile;

    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Pql root = (Pql) spec.root().userObject();
        PrintWriter out = spec.commandLine().getOut();
        ForecastFilter filter = filter();
        try (GatewayClient client = root.connect()) {
            if (csv) {
                StreamForecastLinesRequest.Builder request = StreamForecastLinesRequest.newBuilder()
                        .setFilter(filter).setDefinitionVersion(version).setCurrency(currency == null ? "" : currency);
                if (asOf != null) {
                    request.setAsOf(Formats.parseTime(asOf));
                }
                if (knownAt != null) {
                    request.setKnownAt(Formats.parseTime(knownAt));
                }
                Iterator<ForecastLine> lines = WindowedStreamReader.start(client.forecastExport(),
                        ForecastServiceGrpc.getStreamForecastLinesMethod(), request.build(), 512);
                ForecastLine first = lines.hasNext() ? lines.next() : null;
                Path target = outFile;
                if (outFile != null && Files.isDirectory(outFile)) {
                    target = outFile.resolve(ForecastCsv.fileName(
                            first != null && first.hasAsOf() ? first.getAsOf() : request.hasAsOf() ? request.getAsOf() : now(),
                            first != null && first.hasKnownAt() ? first.getKnownAt() : request.hasKnownAt() ? request.getKnownAt() : null));
                }
                Writer writer = target == null ? out
                        : new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(target), StandardCharsets.UTF_8));
                long count = 0;
                try {
                    ForecastCsv table = new ForecastCsv(writer);
                    table.writeHeader();
                    if (first != null) {
                        table.write(first);
                        count++;
                    }
                    while (lines.hasNext()) {
                        table.write(lines.next());
                        count++;
                    }
                } finally {
                    writer.flush();
                    if (target != null) {
                        writer.close();
                    }
                }
                if (target != null) {
                    out.printf(Locale.ROOT, "%,d forecast lines written to %s%n", count, target);
                    out.flush();
                }
                return 0;
            }
            GetForecastRequest.Builder request = GetForecastRequest.newBuilder()
                    .addAllGroupBy(dimensions()).setFilter(filter).setDefinitionVersion(version)
                    .setCurrency(currency == null ? "" : currency);
            if (asOf != null) {
                request.setAsOf(Formats.parseTime(asOf));
            }
            if (knownAt != null) {
                request.setKnownAt(Formats.parseTime(knownAt));
            }
            Forecast forecast = client.forecast().getForecast(request.build());
            if (json) {
                out.println(Formats.json(forecast));
                out.flush();
                return 0;
            }
            print(out, forecast, dimensions());
            return 0;
        }
    }

    private static com.google.protobuf.Timestamp now() {
        return com.google.protobuf.Timestamp.newBuilder().setSeconds(java.time.Instant.now().getEpochSecond()).build();
    }

    private ForecastFilter filter() {
        ForecastFilter.Builder filter = ForecastFilter.newBuilder().addAllOwners(owners).addAllCloseMonths(months);
        for (String persona : personas) {
            String name = persona.trim().toUpperCase(Locale.ROOT);
            filter.addPersonas(Persona.valueOf(name.startsWith("PERSONA_") ? name : "PERSONA_" + name));
        }
        for (String size : sizes) {
            filter.addOpportunitySizes(OpportunitySize.valueOf("OPPORTUNITY_SIZE_" + size.trim().toUpperCase(Locale.ROOT)));
        }
        return filter.build();
    }

    private List<ForecastDimension> dimensions() {
        List<ForecastDimension> dimensions = new ArrayList<>();
        for (String name : groupBy) {
            dimensions.add(switch (name.trim().toLowerCase(Locale.ROOT)) {
                case "persona" -> ForecastDimension.FORECAST_DIMENSION_PERSONA;
                case "size", "opportunity_size" -> ForecastDimension.FORECAST_DIMENSION_OPPORTUNITY_SIZE;
                case "owner" -> ForecastDimension.FORECAST_DIMENSION_OWNER;
                case "month", "close_month" -> ForecastDimension.FORECAST_DIMENSION_CLOSE_MONTH;
                default -> throw new IllegalArgumentException("--group-by: unknown dimension '" + name + "' (persona, size, owner, month)");
            });
        }
        return dimensions;
    }

    static void print(PrintWriter out, Forecast forecast, List<ForecastDimension> dimensions) {
        List<String> headers = new ArrayList<>();
        for (ForecastDimension dimension : dimensions) {
            headers.add(switch (dimension) {
                case FORECAST_DIMENSION_PERSONA -> "PERSONA";
                case FORECAST_DIMENSION_OPPORTUNITY_SIZE -> "SIZE";
                case FORECAST_DIMENSION_OWNER -> "OWNER";
                default -> "MONTH";
            });
        }
        int first = headers.size();
        headers.addAll(List.of("OPEN", "PIPELINE", "EXPECTED", "P10", "P50", "P90"));
        Table table = new Table(headers.toArray(String[]::new)).right(first, first + 1, first + 2, first + 3, first + 4, first + 5);
        for (ForecastGroup group : forecast.getGroupsList()) {
            List<Object> row = new ArrayList<>();
            for (ForecastDimension dimension : dimensions) {
                row.add(switch (dimension) {
                    case FORECAST_DIMENSION_PERSONA -> Formats.enumName(group.getPersona(), "PERSONA_");
                    case FORECAST_DIMENSION_OPPORTUNITY_SIZE -> Formats.enumName(group.getOpportunitySize(), "OPPORTUNITY_SIZE_");
                    case FORECAST_DIMENSION_OWNER -> group.getOwner();
                    default -> group.getCloseMonth();
                });
            }
            row.addAll(List.of(group.getOpenTrials(), Formats.money(group.getPipeline()), Formats.money(group.getExpectedRevenue()),
                    Formats.money(group.getRange().getP10()), Formats.money(group.getRange().getP50()),
                    Formats.money(group.getRange().getP90())));
            table.row(row.toArray());
        }
        List<Object> total = new ArrayList<>();
        for (int i = 0; i < dimensions.size(); i++) {
            total.add(i == 0 ? "TOTAL" : "");
        }
        total.addAll(List.of(forecast.getOpenTrials(), Formats.money(forecast.getPipeline()), Formats.money(forecast.getExpectedRevenue()),
                Formats.money(forecast.getRange().getP10()), Formats.money(forecast.getRange().getP50()),
                Formats.money(forecast.getRange().getP90())));
        if (dimensions.isEmpty()) {
            total.set(0, forecast.getOpenTrials());
        }
        table.row(total.toArray());
        table.print(out);
        out.printf(Locale.ROOT, "definition v%d, as of %s%s, range: %s%s%n", forecast.getDefinitionVersion(),
                Formats.time(forecast.getAsOf()), forecast.hasKnownAt() ? ", known at " + Formats.time(forecast.getKnownAt())
                        + " (log position " + forecast.getHeadPosition() + ")" : "",
                forecast.getRange().getMethod(),
                forecast.getApproximateClassifications() > 0
                        ? String.format(Locale.ROOT, ", %,d approximate personas", forecast.getApproximateClassifications()) : "");
        if (forecast.getSkippedOtherCurrency() + forecast.getSkippedNoDealSize() > 0) {
            out.printf(Locale.ROOT, "skipped: %,d in other currencies, %,d without a deal size%n", forecast.getSkippedOtherCurrency(),
                    forecast.getSkippedNoDealSize());
        }
        out.flush();
    }
}
