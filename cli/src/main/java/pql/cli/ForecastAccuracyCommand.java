package pql.cli;

import com.google.protobuf.Timestamp;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import pql.gateway.http.ForecastCsv;
import pql.v1.AccuracyStep;
import pql.v1.AccuracySummary;
import pql.v1.ForecastAccuracy;
import pql.v1.GetForecastAccuracyRequest;
import pql.v1.PeriodAccuracy;
import pql.v1.PersonaAccuracy;

/** {@code pql forecast accuracy}: how past forecasts, as known at each period's start, held up against what converted. */
@Command(name = "accuracy", description = {
    "For each period of --step in [--from, --to): the forecast as known at the period's start (open trials whose trial "
            + "ends in it) against the revenue that converted in it; then MAPE, bias and how often the actual fell inside "
            + "P10-P90 (about 80% when the range is calibrated), in total and per persona."})
final class ForecastAccuracyCommand extends GatewaySubcommand {

    @Option(names = "--from", required = true, converter = TimeArgument.class, paramLabel = "WHEN",
            description = "Start of the first period: a date (start of day UTC), an instant or an age such as 26w.")
    Timestamp from;

    @Option(names = "--to", required = true, converter = TimeArgument.class, paramLabel = "WHEN",
            description = "End of the last period, exclusive; not in the future (a running period has no actual yet).")
    Timestamp to;

    @Option(names = "--step", defaultValue = "month", description = "week, month or quarter (default month); at most 60 periods.")
    String step;

    @Option(names = "--definition", paramLabel = "VERSION", description = "Definition version whose odds forecast (default: the active one).")
    int version;

    @Option(names = "--currency", description = "ISO 4217 (default USD).")
    String currency;

    @Option(names = "--hindsight", description = "Count events recorded after each period's start too (an imported history, a "
            + "backfill): what today's records forecast for that instant, not what was known then.")
    boolean hindsight;

    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    @Option(names = "--csv", description = "One CSV line per period (to stdout).")
    boolean csv;

    @Override
    public Integer call() throws Exception {
        if (json && csv) {
            throw Usage.error(spec, "--json and --csv do not go together");
        }
        AccuracyStep length = Usage.enums(spec, "--step", List.of(step), AccuracyStep.getDescriptor(), AccuracyStep::forNumber).get(0);
        GetForecastAccuracyRequest request = GetForecastAccuracyRequest.newBuilder().setFrom(from).setTo(to).setStep(length)
                .setDefinitionVersion(version).setCurrency(currency == null ? "" : currency).setHindsight(hindsight).build();
        try (GatewayClient client = connect()) {
            ForecastAccuracy accuracy = client.forecast().getForecastAccuracy(request);
            PrintWriter out = out();
            if (json) {
                out.println(Formats.json(accuracy));
            } else if (csv) {
                writeCsv(out, accuracy);
            } else {
                print(out, accuracy);
            }
            out.flush();
            return 0;
        }
    }

    static void print(PrintWriter out, ForecastAccuracy accuracy) {
        Table periods = new Table("START", "END", "TRIALS", "FORECAST", "P10", "P90", "WON", "ACTUAL", "ERROR", "APE", "IN RANGE")
                .right(2, 3, 4, 5, 6, 7, 8, 9);
        for (PeriodAccuracy period : accuracy.getPeriodsList()) {
            periods.row(date(period.getStart()), date(period.getEnd()), period.getForecastTrials(), Formats.money(period.getForecast()),
                    Formats.money(period.getRange().getP10()), Formats.money(period.getRange().getP90()), period.getConversions(),
                    Formats.money(period.getActual()), Formats.money(period.getError()),
                    period.getPercentageErrorDefined() ? Formats.percent(period.getAbsolutePercentageError()) : "n/a",
                    period.getActualWithinRange() ? "yes" : "no");
        }
        periods.print(out);
        out.println();
        out.println(summaryLine("all periods", accuracy.getTotal()));
        if (accuracy.getPersonasCount() > 0) {
            out.println();
            Table personas = new Table("PERSONA", "PERIODS", "FORECAST", "ACTUAL", "MAPE", "BIAS", "IN RANGE").right(1, 2, 3, 4, 5, 6);
            for (PersonaAccuracy persona : accuracy.getPersonasList()) {
                AccuracySummary summary = persona.getSummary();
                personas.row(Formats.enumName(persona.getPersona(), "PERSONA_"), summary.getPeriods(), Formats.money(summary.getForecast()),
                        Formats.money(summary.getActual()), summary.getMapeDefined() ? Formats.percent(summary.getMeanAbsolutePercentageError()) : "n/a",
                        Formats.money(summary.getBias()), summary.getWithinRange() + " of " + summary.getPeriods());
            }
            personas.print(out);
        }
        out.printf(Locale.ROOT, "definition v%d, %s; APE n/a: nothing converted in the period; a calibrated P10-P90 holds the actual about 80%% of the time%n",
                accuracy.getDefinitionVersion(), accuracy.getHindsight() ? "with hindsight (events recorded since count)"
                        : "each forecast as known at its period's start");
    }

    private static String summaryLine(String scope, AccuracySummary summary) {
        return String.format(Locale.ROOT, "%s: MAPE %s over %d periods with conversions, bias %s a period, actual inside P10-P90 in %d of %d"
                + " periods (%s, 95%% interval %s-%s)", scope,
                summary.getMapeDefined() ? Formats.percent(summary.getMeanAbsolutePercentageError()) : "n/a", summary.getMapePeriods(),
                Formats.money(summary.getBias()), summary.getWithinRange(), summary.getPeriods(), Formats.percent(summary.getWithinRangeRate()),
                Formats.percent(summary.getWithinRangeLow()), Formats.percent(summary.getWithinRangeHigh()));
    }

    /** RFC 4180 with CRLF and amounts in currency units, as the forecast exports. */
    static void writeCsv(Writer out, ForecastAccuracy accuracy) throws IOException {
        GroupedForecastCsv.row(out, List.of("start", "end", "currency", "forecast_trials", "forecast", "p10", "p50", "p90", "conversions", "actual", "error",
                "absolute_percentage_error", "actual_within_range", "definition_version"));
        for (PeriodAccuracy period : accuracy.getPeriodsList()) {
            GroupedForecastCsv.row(out, List.of(ForecastCsv.instant(period.getStart()), ForecastCsv.instant(period.getEnd()), accuracy.getCurrency(),
                    Long.toString(period.getForecastTrials()), ForecastCsv.amount(period.getForecast()),
                    ForecastCsv.amount(period.getRange().getP10()), ForecastCsv.amount(period.getRange().getP50()),
                    ForecastCsv.amount(period.getRange().getP90()), Long.toString(period.getConversions()),
                    ForecastCsv.amount(period.getActual()), ForecastCsv.amount(period.getError()),
                    period.getPercentageErrorDefined() ? Double.toString(period.getAbsolutePercentageError()) : "",
                    Boolean.toString(period.getActualWithinRange()), Integer.toString(accuracy.getDefinitionVersion())));
        }
    }

    /** 2025-03-01T00:00:00Z -> 2025-03-01; other instants in full. */
    private static String date(Timestamp timestamp) {
        String time = Formats.time(timestamp);
        return time.endsWith("T00:00:00Z") ? time.substring(0, 10) : time;
    }
}
