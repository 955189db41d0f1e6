package pql.cli;

import com.google.protobuf.Timestamp;
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
import picocli.CommandLine.Mixin;
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
import pql.v1.StreamForecastLinesRequest;

@Command(name = "forecast", subcommands = {ForecastHistoryCommand.class, ForecastWaterfallCommand.class,
    ForecastAccuracyCommand.class}, description = {
    "Expected revenue of open trials (deal size x persona odds) with its P10/P50/P90 range.",
    "Grouped by --group-by; with --csv every open trial as a CSV line (the finance export), or with --csv --group-by "
            + "the grouped table as CSV."})
final class ForecastCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--group-by", split = ",", description = "persona, size, owner, month (comma separated).")
    List<String> groupBy = new ArrayList<>();

    @Mixin
    ForecastFilterOptions filterOptions;

    @Option(names = "--as-of", converter = TimeArgument.class, paramLabel = "WHEN",
            description = "Forecast as of this past date, instant, today, yesterday or age such as 7d (default: now).")
    Timestamp asOf;

    @Option(names = "--known-at", converter = TimeArgument.class, paramLabel = "WHEN",
            description = "Only events recorded by then count: the forecast as it was made then (--as-of T --known-at T stays the same forever).")
    Timestamp knownAt;

    @Option(names = "--definition", paramLabel = "VERSION", description = "Definition version (default: the active one).")
    int version;

    @Option(names = "--currency", description = "ISO 4217 (default USD).")
    String currency;

    @Option(names = "--csv", description = "As CSV: every forecast line, or with --group-by one line per group (to stdout, or --out).")
    boolean csv;

    @Option(names = "--out", description = "With --csv: write to this file, or into this directory under a name made of the grouping, as_of and known_at.")
    Path outFile;

    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        ForecastFilter filter = filterOptions.filter(spec);
        List<ForecastDimension> dimensions = dimensions();
        if (outFile != null && !csv) {
            throw Usage.error(spec, "--out goes with --csv");
        }
        Pql root = (Pql) spec.root().userObject();
        PrintWriter out = spec.commandLine().getOut();
        try (GatewayClient client = root.connect()) {
            if (csv && dimensions.isEmpty()) {
                return exportLines(client, filter, out);
            }
            GetForecastRequest.Builder request = GetForecastRequest.newBuilder()
                    .addAllGroupBy(dimensions).setFilter(filter).setDefinitionVersion(version)
                    .setCurrency(currency == null ? "" : currency);
            if (asOf != null) {
                request.setAsOf(asOf);
            }
            if (knownAt != null) {
                request.setKnownAt(knownAt);
            }
            Forecast forecast = client.forecast().getForecast(request.build());
            if (csv) {
                Path target = outFile != null && Files.isDirectory(outFile)
                        ? outFile.resolve(groupedFileName(forecast, dimensions)) : outFile;
                Writer writer = open(target, out);
                try {
                    GroupedForecastCsv.write(writer, forecast, dimensions);
                } finally {
                    close(writer, target);
                }
                if (target != null) {
                    out.printf(Locale.ROOT, "%,d forecast groups written to %s%n", forecast.getGroupsCount(), target);
                    out.flush();
                }
                return 0;
            }
            if (json) {
                out.println(Formats.json(forecast));
                out.flush();
                return 0;
            }
            print(out, forecast, dimensions);
            return 0;
        }
    }

    /** Every forecast line, streamed (the finance export). */
    private int exportLines(GatewayClient client, ForecastFilter filter, PrintWriter out) throws Exception {
        StreamForecastLinesRequest.Builder request = StreamForecastLinesRequest.newBuilder()
                .setFilter(filter).setDefinitionVersion(version).setCurrency(currency == null ? "" : currency);
        if (asOf != null) {
            request.setAsOf(asOf);
        }
        if (knownAt != null) {
            request.setKnownAt(knownAt);
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
        Writer writer = open(target, out);
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
            close(writer, target);
        }
        if (target != null) {
            out.printf(Locale.ROOT, "%,d forecast lines written to %s%n", count, target);
            out.flush();
        }
        return 0;
    }

    private static Writer open(Path target, PrintWriter out) throws java.io.IOException {
        return target == null ? out
                : new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(target), StandardCharsets.UTF_8));
    }

    private static void close(Writer writer, Path target) throws java.io.IOException {
        writer.flush();
        if (target != null) {
            writer.close();
        }
    }

    /** forecast-by-persona-size-as-of-2026-11-25T00-00-00Z[-known-at-...].csv */
    static String groupedFileName(Forecast forecast, List<ForecastDimension> dimensions) {
        String grouping = dimensions.stream().map(dimension -> switch (dimension) {
            case FORECAST_DIMENSION_PERSONA -> "persona";
            case FORECAST_DIMENSION_OPPORTUNITY_SIZE -> "size";
            case FORECAST_DIMENSION_OWNER -> "owner";
            default -> "month";
        }).collect(java.util.stream.Collectors.joining("-"));
        return ForecastCsv.fileName(forecast.hasAsOf() ? forecast.getAsOf() : now(), forecast.hasKnownAt() ? forecast.getKnownAt() : null)
                .replaceFirst("^forecast-lines-", "forecast-by-" + grouping + "-");
    }

    private static Timestamp now() {
        return Timestamp.newBuilder().setSeconds(java.time.Instant.now().getEpochSecond()).build();
    }

    private List<ForecastDimension> dimensions() {
        List<ForecastDimension> dimensions = new ArrayList<>();
        for (String name : groupBy) {
            ForecastDimension dimension = switch (name.trim().toLowerCase(Locale.ROOT).replace('-', '_')) {
                case "persona" -> ForecastDimension.FORECAST_DIMENSION_PERSONA;
                case "size", "opportunity_size" -> ForecastDimension.FORECAST_DIMENSION_OPPORTUNITY_SIZE;
                case "owner" -> ForecastDimension.FORECAST_DIMENSION_OWNER;
                case "month", "close_month" -> ForecastDimension.FORECAST_DIMENSION_CLOSE_MONTH;
                default -> throw Usage.error(spec, "--group-by: unknown dimension '" + name + "'; one of persona, size, owner, month");
            };
            if (dimensions.contains(dimension)) {
                throw Usage.error(spec, "--group-by: '" + name + "' is there twice");
            }
            dimensions.add(dimension);
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
            out.printf(Locale.ROOT, "skipped: %,d without an exchange rate, %,d without a deal size%n",
                    forecast.getSkippedOtherCurrency(), forecast.getSkippedNoDealSize());
        }
        forecast.getWarningsList().forEach(warning -> out.println("warning: " + warning));
        out.flush();
    }
}
