package pql.cli;

import com.google.protobuf.Timestamp;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import pql.v1.ForecastWaterfall;
import pql.v1.GetForecastWaterfallRequest;
import pql.v1.WaterfallAccount;
import pql.v1.WaterfallStep;

@Command(name = "waterfall", description = {
    "Why expected revenue moved between two instants (each forecast as known then): new trials, closed won and lost, "
            + "persona moves, deal size and definition changes, each with its largest trials; the steps sum exactly to the change."})
final class ForecastWaterfallCommand extends GatewaySubcommand {

    @Option(names = "--from", required = true, converter = TimeArgument.class, paramLabel = "WHEN",
            description = "The first forecast: a date, an instant, yesterday or an age such as 7d.")
    Timestamp from;

    @Option(names = "--to", converter = TimeArgument.class, paramLabel = "WHEN", description = "The second forecast (default: now).")
    Timestamp to;

    @Option(names = "--from-definition", paramLabel = "VERSION", description = "Definition version at --from (default: the active one).")
    int fromVersion;

    @Option(names = "--to-definition", paramLabel = "VERSION", description = "Definition version at --to (default: the active one).")
    int toVersion;

    @Option(names = "--accounts", paramLabel = "N", description = "Trials listed per step, largest first (default 5, at most 1000).")
    int accounts = 5;

    @Option(names = "--currency", description = "ISO 4217 (default USD).")
    String currency;

    @Mixin
    ForecastFilterOptions filterOptions;

    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (accounts < 0 || accounts > 1000) {
            throw Usage.error(spec, "--accounts: must be 0..1000, got " + accounts);
        }
        GetForecastWaterfallRequest.Builder request = GetForecastWaterfallRequest.newBuilder().setFrom(from)
                .setFromDefinitionVersion(fromVersion).setToDefinitionVersion(toVersion)
                .setAccountsPerStep(Math.max(1, accounts)).setFilter(filterOptions.filter(spec))
                .setCurrency(currency == null ? "" : currency);
        if (to != null) {
            request.setTo(to);
        }
        try (GatewayClient client = connect()) {
            ForecastWaterfall waterfall = client.forecast().getForecastWaterfall(request.build());
            PrintWriter out = out();
            if (json) {
                out.println(Formats.json(waterfall));
                out.flush();
                return 0;
            }
            Table table = new Table("STEP", "TRIALS", "AMOUNT", "LARGEST").right(1, 2);
            table.row("expected at " + Formats.time(waterfall.getStart().getAsOf()), waterfall.getStart().getOpenTrials(),
                    Formats.money(waterfall.getStart().getExpectedRevenue()), "");
            for (WaterfallStep step : waterfall.getStepsList()) {
                if (step.getAccounts() == 0) {
                    continue;
                }
                table.row(Formats.enumName(step.getMovement(), "WATERFALL_MOVEMENT_").replace('_', ' '), step.getAccounts(),
                        signed(step), accounts == 0 ? "" : largest(step));
            }
            table.row("expected at " + Formats.time(waterfall.getEnd().getAsOf()), waterfall.getEnd().getOpenTrials(),
                    Formats.money(waterfall.getEnd().getExpectedRevenue()), "");
            table.print(out);
            out.flush();
            return 0;
        }
    }

    private static String signed(WaterfallStep step) {
        String amount = Formats.money(step.getAmount());
        return step.getAmount().getAmountMicros() > 0 ? "+" + amount : amount;
    }

    private static String largest(WaterfallStep step) {
        StringBuilder text = new StringBuilder();
        for (WaterfallAccount account : step.getLargestList()) {
            if (text.length() > 0) {
                text.append(", ");
            }
            text.append(account.getAccountId()).append(' ').append(Formats.units(account.getAmount().getAmountMicros()));
        }
        long more = step.getAccounts() - step.getLargestCount();
        return more > 0 ? text.append(String.format(Locale.ROOT, " (+%,d more)", more)).toString() : text.toString();
    }
}
