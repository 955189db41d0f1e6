package pql.cli;

import com.google.protobuf.Timestamp;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import pql.v1.Forecast;
import pql.v1.ForecastHistory;
import pql.v1.GetForecastHistoryRequest;
import pql.v1.Granularity;

@Command(name = "history", description = {
    "The forecast at each week or month from --from to --to, each as known at its instant: what the forecast said then "
            + "(a backfill recorded later does not move a past point)."})
final class ForecastHistoryCommand extends GatewaySubcommand {

    @Option(names = "--from", required = true, converter = TimeArgument.class, paramLabel = "WHEN",
            description = "The first point: a date, an instant, yesterday or an age such as 90d.")
    Timestamp from;

    @Option(names = "--to", converter = TimeArgument.class, paramLabel = "WHEN", description = "The last point at or before it (default: now).")
    Timestamp to;

    @Option(names = "--step", paramLabel = "week|month", description = "week (7 days, the default) or month (calendar months).")
    String step = "week";

    @Option(names = "--definition", paramLabel = "VERSION", description = "Definition version of every point (default: the active one).")
    int version;

    @Option(names = "--currency", description = "ISO 4217 (default USD).")
    String currency;

    @Mixin
    ForecastFilterOptions filterOptions;

    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Granularity granularity = switch (step.trim().toLowerCase(Locale.ROOT)) {
            case "week", "weeks", "weekly" -> Granularity.GRANULARITY_WEEK;
            case "month", "months", "monthly" -> Granularity.GRANULARITY_MONTH;
            default -> throw Usage.error(spec, "--step: '" + step + "' is not one of week, month");
        };
        GetForecastHistoryRequest.Builder request = GetForecastHistoryRequest.newBuilder().setFrom(from).setStep(granularity)
                .setDefinitionVersion(version).setFilter(filterOptions.filter(spec)).setCurrency(currency == null ? "" : currency);
        if (to != null) {
            request.setTo(to);
        }
        try (GatewayClient client = connect()) {
            ForecastHistory history = client.forecast().getForecastHistory(request.build());
            PrintWriter out = out();
            if (json) {
                out.println(Formats.json(history));
                out.flush();
                return 0;
            }
            Table table = new Table("AS OF (AS KNOWN THEN)", "OPEN", "PIPELINE", "EXPECTED", "P10", "P90", "CHANGE").right(1, 2, 3, 4, 5, 6);
            Forecast previous = null;
            for (Forecast point : history.getPointsList()) {
                table.row(Formats.time(point.getAsOf()), point.getOpenTrials(), Formats.money(point.getPipeline()),
                        Formats.money(point.getExpectedRevenue()), Formats.money(point.getRange().getP10()),
                        Formats.money(point.getRange().getP90()), previous == null ? "" : change(previous, point));
                previous = point;
            }
            table.print(out);
            if (!history.getPointsList().isEmpty()) {
                out.printf(Locale.ROOT, "definition v%d; why a step moved: pql forecast waterfall --from A --to B%n",
                        history.getPoints(0).getDefinitionVersion());
            }
            out.flush();
            return 0;
        }
    }

    private static String change(Forecast before, Forecast after) {
        long delta = after.getExpectedRevenue().getAmountMicros() - before.getExpectedRevenue().getAmountMicros();
        return (delta > 0 ? "+" : "") + Formats.units(delta);
    }
}
