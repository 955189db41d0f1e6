package pql.cli;

import com.google.protobuf.Timestamp;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import pql.v1.AccountScoreChange;
import pql.v1.CompareForecastRequest;
import pql.v1.CompareForecastResponse;
import pql.v1.DefinitionStatus;
import pql.v1.DefinitionVersion;
import pql.v1.DefinitionWarning;
import pql.v1.DiffRescoreRequest;
import pql.v1.DiffRescoreResponse;
import pql.v1.DiscardRescoreRequest;
import pql.v1.Forecast;
import pql.v1.ForecastDimension;
import pql.v1.GetForecastRequest;
import pql.v1.GetDefinitionPresetRequest;
import pql.v1.GetDefinitionRequest;
import pql.v1.GetRescoreRequest;
import pql.v1.ListDefinitionsRequest;
import pql.v1.ListDefinitionsResponse;
import pql.v1.ProductComplexity;
import pql.v1.PromoteDefinitionRequest;
import pql.v1.PublishDefinitionRequest;
import pql.v1.PublishDefinitionResponse;
import pql.v1.RescoreStatus;
import pql.v1.ScoringDefinition;
import pql.v1.StartRescoreRequest;
import pql.v1.SuggestDefinitionRequest;
import pql.v1.SuggestDefinitionResponse;

@Command(name = "definitions", description = "Scoring definitions: publish a version, rescore the history under it, compare, then promote or discard.",
        subcommands = {
            DefinitionsCommand.Publish.class, DefinitionsCommand.ListVersions.class, DefinitionsCommand.Show.class,
            DefinitionsCommand.Preset.class, DefinitionsCommand.Rescore.class, DefinitionsCommand.RescoreProgress.class,
            DefinitionsCommand.Diff.class, DefinitionsCommand.Backtest.class,
            DefinitionsCommand.Promote.class, DefinitionsCommand.Discard.class, DefinitionsCommand.Suggest.class})
final class DefinitionsCommand {

    abstract static class Base extends GatewaySubcommand {
    }

    @Command(name = "publish", description = "Validates and publishes FILE (YAML or JSON of pql.v1.ScoringDefinition; see 'preset').")
    static final class Publish extends Base {
        @Parameters(paramLabel = "FILE")
        Path file;

        @Option(names = "--validate-only", description = "Check it; store nothing.")
        boolean validateOnly;

        @Override
        public Integer call() throws Exception {
            ScoringDefinition.Builder definition = ScoringDefinition.newBuilder();
            Formats.parseYamlOrJson(Files.readString(file), definition);
            try (GatewayClient client = connect()) {
                PublishDefinitionResponse response = client.definitions().publishDefinition(PublishDefinitionRequest.newBuilder()
                        .setDefinition(definition).setValidateOnly(validateOnly).build());
                for (DefinitionWarning warning : response.getWarningsList()) {
                    out().println("warning: " + warning.getField() + ": " + warning.getMessage());
                }
                OddsCalibrationCheck.warnings(client, response.getDefinition().getPersonaOddsCount() > 0
                        ? response.getDefinition() : definition.build(), spec.commandLine().getErr()).forEach(out()::println);
                out().println(validateOnly ? "valid" : "published version " + response.getVersion()
                        + " (not serving yet: pql definitions rescore " + response.getVersion() + " --wait, then promote)");
                out().flush();
                return 0;
            }
        }
    }

    @Command(name = "list", description = "Every version, newest first.")
    static final class ListVersions extends Base {
        @Override
        public Integer call() {
            try (GatewayClient client = connect()) {
                Table table = new Table("VERSION", "STATUS", "NAME", "COMPLEXITY", "PUBLISHED", "BY", "ACTIVATED").right(0);
                String token = "";
                do {
                    ListDefinitionsResponse page = client.definitions().listDefinitions(
                            ListDefinitionsRequest.newBuilder().setPageSize(500).setPageToken(token).build());
                    for (DefinitionVersion version : page.getDefinitionsList()) {
                        table.row(version.getVersion(), Formats.enumName(version.getStatus(), "DEFINITION_STATUS_"),
                                version.getDefinition().getName(),
                                Formats.enumName(version.getDefinition().getProductComplexity(), "PRODUCT_COMPLEXITY_"),
                                Formats.time(version.getPublishedAt()), version.getPublishedBy(), Formats.time(version.getActivatedAt()));
                    }
                    token = page.getNextPageToken();
                } while (!token.isEmpty());
                table.print(out());
                return 0;
            }
        }
    }

    @Command(name = "show", description = "One version as YAML (0 or none: the active one).")
    static final class Show extends Base {
        @Parameters(paramLabel = "VERSION", defaultValue = "0")
        int version;

        @Override
        public Integer call() {
            try (GatewayClient client = connect()) {
                DefinitionVersion found = client.definitions().getDefinition(GetDefinitionRequest.newBuilder().setVersion(version).build());
                out().printf(Locale.ROOT, "# version %d, %s, published %s by %s%n", found.getVersion(),
                        Formats.enumName(found.getStatus(), "DEFINITION_STATUS_"), Formats.time(found.getPublishedAt()),
                        found.getPublishedBy());
                out().print(Formats.yaml(found.getDefinition()));
                out().flush();
                return 0;
            }
        }
    }

    @Command(name = "preset", description = "The built-in definition for a product complexity, as YAML to edit and publish.")
    static final class Preset extends Base {
        @Parameters(paramLabel = "COMPLEXITY", defaultValue = "intermediate", description = "simple, intermediate or complex.")
        String complexity;

        @Override
        public Integer call() {
            ProductComplexity value = Usage.enums(spec, "COMPLEXITY", List.of(complexity), ProductComplexity.getDescriptor(),
                    ProductComplexity::forNumber).get(0);
            try (GatewayClient client = connect()) {
                out().print(Formats.yaml(client.definitions().getDefinitionPreset(
                        GetDefinitionPresetRequest.newBuilder().setProductComplexity(value).build())));
                out().flush();
                return 0;
            }
        }
    }

    @Command(name = "rescore", description = "Replays the whole history under VERSION beside the active one.")
    static final class Rescore extends Base {
        @Parameters(paramLabel = "VERSION")
        int version;

        @Option(names = "--wait", description = "Show progress until it caught up.")
        boolean await;

        @Option(names = "--timeout", defaultValue = "600", description = "With --wait: give up after this many seconds.")
        long timeoutSeconds;

        @Override
        public Integer call() throws InterruptedException {
            try (GatewayClient client = connect()) {
                RescoreStatus status = client.definitions().startRescore(StartRescoreRequest.newBuilder().setVersion(version).build());
                print(status);
                if (!await) {
                    return 0;
                }
                status = awaitCaughtUp(client, out(), status, timeoutSeconds);
                if (status.getStatus() == DefinitionStatus.DEFINITION_STATUS_REPLAYING) {
                    return ErrorPrinter.FAILED;
                }
                out().println("version " + version + " is " + Formats.enumName(status.getStatus(), "DEFINITION_STATUS_")
                        + (status.getStatus() == DefinitionStatus.DEFINITION_STATUS_READY
                                ? ": compare with 'pql definitions diff " + version + "', then promote" : ""));
                out().flush();
                return status.getStatus() == DefinitionStatus.DEFINITION_STATUS_READY ? 0 : ErrorPrinter.FAILED;
            }
        }

        private void print(RescoreStatus status) {
            printProgress(out(), status);
        }
    }

    @Command(name = "status", description = "Progress of VERSION's rescore: events done, rate, ETA.")
    static final class RescoreProgress extends Base {
        @Parameters(paramLabel = "VERSION")
        int version;

        @Override
        public Integer call() {
            try (GatewayClient client = connect()) {
                printProgress(out(), client.definitions().getRescore(GetRescoreRequest.newBuilder().setVersion(version).build()));
                return 0;
            }
        }
    }

    /** Polls every 500 ms, printing progress, until the rescore is no longer replaying or the timeout passed. */
    static RescoreStatus awaitCaughtUp(GatewayClient client, PrintWriter out, RescoreStatus status, long timeoutSeconds)
            throws InterruptedException {
        long giveUpAt = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        while (status.getStatus() == DefinitionStatus.DEFINITION_STATUS_REPLAYING) {
            if (System.nanoTime() > giveUpAt) {
                out.println("still replaying after " + timeoutSeconds + " s; check with: pql definitions status " + status.getVersion());
                out.flush();
                return status;
            }
            Thread.sleep(500);
            status = client.definitions().getRescore(GetRescoreRequest.newBuilder().setVersion(status.getVersion()).build());
            printProgress(out, status);
        }
        return status;
    }

    /** READY, or RETIRED with its projection kept (the server reports the events it followed). */
    private static boolean isPromotable(RescoreStatus status) {
        return status.getStatus() == DefinitionStatus.DEFINITION_STATUS_READY
                || status.getStatus() == DefinitionStatus.DEFINITION_STATUS_RETIRED && status.getEventsTotal() > 0;
    }

    /**
     * The rescore's progress, or for a version without one what it is and what to do: "0 / 0 events (100%)"
     * said nothing (issue #15).
     */
    static void printProgress(PrintWriter out, RescoreStatus status) {
        int version = status.getVersion();
        String message = switch (status.getStatus()) {
            case DEFINITION_STATUS_PUBLISHED -> "version " + version + " is published, not rescored yet: pql definitions rescore "
                    + version + " --wait";
            case DEFINITION_STATUS_RETIRED -> status.getEventsTotal() > 0
                    ? "version " + version + " is retired, its projection kept up to date: pql definitions promote " + version
                            + " rolls back at once"
                    : "version " + version + " is retired and its projection no longer kept: pql definitions promote " + version
                            + " --rescore rescores it, then promotes";
            case DEFINITION_STATUS_ACTIVE -> status.getEventsTotal() == 0 ? "version " + version + " is active" : null;
            default -> null;
        };
        if (message != null) {
            out.println(message);
            out.flush();
            return;
        }
        {
            double share = status.getEventsTotal() == 0 ? 1 : (double) status.getEventsDone() / status.getEventsTotal();
            out.printf(Locale.ROOT, "rescore v%d: %s %,d / %,d events (%.0f%%), %,.0f events/s, eta %.0f s%n", status.getVersion(),
                    Formats.enumName(status.getStatus(), "DEFINITION_STATUS_"), status.getEventsDone(), status.getEventsTotal(),
                    Math.min(100, share * 100), status.getEventsPerSecond(), status.getEtaSeconds());
            out.flush();
        }
    }

    @Command(name = "diff", description = "Accounts whose PQL status, kinds or levels differ under VERSION, and the forecast delta.")
    static final class Diff extends Base {
        @Parameters(paramLabel = "VERSION")
        int version;

        @Option(names = "--limit", defaultValue = "20", description = "Changed accounts to list, 1..1000 (default ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--as-of", converter = TimeArgument.class, paramLabel = "WHEN",
                description = "Compare the forecasts as of this date, instant, today, yesterday or age such as 7d (default: now).")
        Timestamp asOf;

        @Option(names = "--known-at", converter = TimeArgument.class, paramLabel = "WHEN",
                description = "Only events recorded by then count in the forecast comparison.")
        Timestamp knownAt;

        @Option(names = "--from", converter = TimeArgument.class, paramLabel = "WHEN",
                description = "Backtest over trials closed from then (default: 90 days before --to).")
        Timestamp from;

        @Option(names = "--to", converter = TimeArgument.class, paramLabel = "WHEN",
                description = "... and before then (default: now).")
        Timestamp to;

        @Override
        public Integer call() {
            Usage.within(spec, "--limit", limit, 1, ScoresCommand.MAX_PAGE, null);
            try (GatewayClient client = connect()) {
                DiffRescoreResponse diff = client.definitions().diffRescore(DiffRescoreRequest.newBuilder()
                        .setVersion(version).setPageSize(limit).build());
                int baseline = diff.getBaselineVersion();
                BacktestPrinter.printSideBySide(out(),
                        client.definitions().backtestDefinition(BacktestPrinter.request(baseline, from, to)),
                        client.definitions().backtestDefinition(BacktestPrinter.request(version, from, to)));
                printDefinitionChanges(client, baseline);
                out().printf(Locale.ROOT, "v%d -> v%d: %,d accounts compared, %,d changed, PQLs gained %,d, lost %,d%n",
                        baseline, diff.getCandidateVersion(), diff.getAccountsCompared(), diff.getAccountsChanged(),
                        diff.getPqlGained(), diff.getPqlLost());
                CompareForecastRequest.Builder compare = CompareForecastRequest.newBuilder().setBaselineVersion(baseline)
                        .setCandidateVersion(version).setPageSize(limit);
                GetForecastRequest.Builder grouped = GetForecastRequest.newBuilder();
                if (asOf != null) {
                    compare.setAsOf(asOf);
                    grouped.setAsOf(asOf);
                }
                if (knownAt != null) {
                    compare.setKnownAt(knownAt);
                    grouped.setKnownAt(knownAt);
                }
                CompareForecastResponse forecast = client.forecast().compareForecast(compare.build());
                RescoreReport.printAccounts(out(), diff.getChangesList(), forecast.getChangesList());
                out().printf(Locale.ROOT, "forecast: expected %s -> %s (delta %s), %,d accounts change persona or expected revenue%n",
                        Formats.money(forecast.getBaseline().getExpectedRevenue()), Formats.money(forecast.getCandidate().getExpectedRevenue()),
                        Formats.money(forecast.getExpectedRevenueDelta()), forecast.getAccountsChanged());
                for (ForecastDimension dimension : List.of(ForecastDimension.FORECAST_DIMENSION_PERSONA,
                        ForecastDimension.FORECAST_DIMENSION_OPPORTUNITY_SIZE)) {
                    grouped.clearGroupBy().addGroupBy(dimension);
                    Forecast before = client.forecast().getForecast(grouped.setDefinitionVersion(baseline).build());
                    Forecast after = client.forecast().getForecast(grouped.setDefinitionVersion(version).build());
                    boolean byPersona = dimension == ForecastDimension.FORECAST_DIMENSION_PERSONA;
                    RescoreReport.printGroups(out(), byPersona ? "PERSONA" : "SIZE", before, after,
                            group -> byPersona ? Formats.enumName(group.getPersona(), "PERSONA_")
                                    : Formats.enumName(group.getOpportunitySize(), "OPPORTUNITY_SIZE_"));
                }
                out().flush();
                return 0;
            }
        }

        /** What changed in the definition itself, field by field, before what it changes in the scores. */
        private void printDefinitionChanges(GatewayClient client, int baseline) {
            ScoringDefinition before = client.definitions().getDefinition(GetDefinitionRequest.newBuilder().setVersion(baseline).build())
                    .getDefinition();
            ScoringDefinition after = client.definitions().getDefinition(GetDefinitionRequest.newBuilder().setVersion(version).build())
                    .getDefinition();
            List<String> changes = RescoreReport.definitionChanges(before, after);
            out().printf(Locale.ROOT, "definition v%d -> v%d: %s%n", baseline, version,
                    changes.isEmpty() ? "no field changed" : changes.size() + (changes.size() == 1 ? " field" : " fields") + " changed");
            changes.forEach(line -> out().println("  " + line));
        }
    }

    @Command(name = "backtest", description = "How VERSION would have called the trials that closed in a period: precision, recall, "
            + "lift, lead time, and its persona odds against the observed rates (0: the active version; a new one needs a rescore first).")
    static final class Backtest extends Base {
        @Parameters(paramLabel = "VERSION")
        int version;

        @Option(names = "--from", converter = TimeArgument.class, paramLabel = "WHEN",
                description = "Trials closed from then (default: 90 days before --to).")
        Timestamp from;

        @Option(names = "--to", converter = TimeArgument.class, paramLabel = "WHEN", description = "... and before then (default: now).")
        Timestamp to;

        @Option(names = "--json", description = "Print the API's JSON.")
        boolean json;

        @Override
        public Integer call() {
            try (GatewayClient client = connect()) {
                var backtest = client.definitions().backtestDefinition(BacktestPrinter.request(version, from, to));
                if (json) {
                    out().println(Formats.json(backtest));
                    out().flush();
                } else {
                    BacktestPrinter.print(out(), backtest);
                }
                return 0;
            }
        }
    }

    @Command(name = "promote", description = "Makes VERSION the active one: a rescored one, or an earlier one (a rollback; --rescore if it was not kept).")
    static final class Promote extends Base {
        @Parameters(paramLabel = "VERSION")
        int version;

        @Option(names = "--rescore", description = "If VERSION has no rescore (e.g. retired longer ago than the server keeps), rescore it first, "
                + "showing progress, then promote.")
        boolean rescore;

        @Option(names = "--timeout", defaultValue = "600", description = "With --rescore: give up after this many seconds.")
        long timeoutSeconds;

        @Override
        public Integer call() throws InterruptedException {
            try (GatewayClient client = connect()) {
                if (rescore) {
                    RescoreStatus status = client.definitions().getRescore(GetRescoreRequest.newBuilder().setVersion(version).build());
                    if (!isPromotable(status)) {
                        if (status.getStatus() != DefinitionStatus.DEFINITION_STATUS_REPLAYING) {
                            status = client.definitions().startRescore(StartRescoreRequest.newBuilder().setVersion(version).build());
                            printProgress(out(), status);
                        }
                        status = awaitCaughtUp(client, out(), status, timeoutSeconds);
                        if (status.getStatus() != DefinitionStatus.DEFINITION_STATUS_READY) {
                            return ErrorPrinter.FAILED;
                        }
                    }
                }
                DefinitionVersion promoted;
                try {
                    promoted = client.definitions().promoteDefinition(PromoteDefinitionRequest.newBuilder().setVersion(version).build());
                } catch (io.grpc.StatusRuntimeException e) {
                    if (e.getStatus().getCode() != io.grpc.Status.Code.FAILED_PRECONDITION
                            || !String.valueOf(e.getStatus().getDescription()).contains("has no rescore")) {
                        throw e;
                    }
                    spec.commandLine().getErr().println(ErrorPrinter.describe(e) + System.lineSeparator()
                            + "hint: pql definitions promote " + version + " --rescore (rescores it first, showing progress)");
                    spec.commandLine().getErr().flush();
                    return ErrorPrinter.FAILED;
                }
                out().println("version " + promoted.getVersion() + " is " + Formats.enumName(promoted.getStatus(), "DEFINITION_STATUS_"));
                out().flush();
                return 0;
            }
        }
    }

    @Command(name = "discard", description = "Drops VERSION's shadow projection (it stays published).")
    static final class Discard extends Base {
        @Parameters(paramLabel = "VERSION")
        int version;

        @Override
        public Integer call() {
            try (GatewayClient client = connect()) {
                RescoreStatus status = client.definitions().discardRescore(DiscardRescoreRequest.newBuilder().setVersion(version).build());
                out().println("version " + status.getVersion() + " is " + Formats.enumName(status.getStatus(), "DEFINITION_STATUS_"));
                out().flush();
                return 0;
            }
        }
    }

    @Command(name = "suggest", description = {
        "Which behaviours predicted conversion among trials that closed in the period, and a draft definition built from them.",
        "The draft is YAML with a comment per step, weight and trigger on stdout (redirect it to a file to edit and publish); "
                + "a summary goes to stderr."})
    static final class Suggest extends Base {
        @Option(names = "--from", converter = TimeArgument.class, paramLabel = "WHEN",
                description = "Trials that closed at or after this date, instant or age such as 90d (default: the beginning).")
        Timestamp from;

        @Option(names = "--to", converter = TimeArgument.class, paramLabel = "WHEN", description = "...and before this (default: now).")
        Timestamp to;

        @Option(names = "--fdr", defaultValue = "0.05", paramLabel = "Q",
                description = "False-discovery rate (Benjamini-Hochberg), between 0 and 1 (default ${DEFAULT-VALUE}).")
        double falseDiscoveryRate;

        @Override
        public Integer call() {
            if (!(falseDiscoveryRate > 0 && falseDiscoveryRate < 1)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--fdr: must be between 0 and 1, got " + falseDiscoveryRate);
            }
            java.time.Instant now = java.time.Instant.now();
            try (GatewayClient client = connect()) {
                SuggestDefinitionResponse response = client.definitions().suggestDefinition(SuggestDefinitionRequest.newBuilder()
                        .setFrom(from != null ? from : Timestamp.getDefaultInstance())
                        .setTo(to != null ? to : Timestamp.newBuilder().setSeconds(now.getEpochSecond()).build())
                        .setFalseDiscoveryRate(falseDiscoveryRate).build());
                out().println(DraftYaml.render(response.getDraft(), response.getNotesList()));
                out().flush();
                PrintWriter err = spec.commandLine().getErr();
                err.printf(Locale.ROOT, "%,d trials closed %s..%s, %,d converted (%s); FDR %s, based on v%d%n", response.getTrialsClosed(),
                        Formats.time(response.getFrom()), Formats.time(response.getTo()), response.getTrialsConverted(),
                        Formats.percent(response.getTrialsClosed() == 0 ? 0 : (double) response.getTrialsConverted() / response.getTrialsClosed()),
                        Formats.percent(response.getFalseDiscoveryRate()), response.getBasedOnVersion());
                err.println(response.getPredictorsCount() == 0 ? "No behaviour predicts conversion at this false-discovery rate."
                        : "Predictors (best rule per action; lift, conversion when met with 95% interval, support, q):");
                for (pql.v1.RuleFinding rule : response.getPredictorsList()) {
                    err.printf(Locale.ROOT, "  %-40s lift %5.2f  %s [%s-%s] of %,d  %s%n", describe(rule), rule.getLift(),
                            Formats.percent(rule.getRateMet()), Formats.percent(rule.getRateMetLow()), Formats.percent(rule.getRateMetHigh()),
                            rule.getTrialsMet(), rule.getQValue() < 1e-12 ? "q<1e-12" : String.format(Locale.ROOT, "q=%.2g", rule.getQValue()));
                }
                if (response.getWeightZeroActionsCount() > 0) {
                    err.println("Predict nothing (engagement weight 0 candidates): " + String.join(", ", response.getWeightZeroActionsList()));
                }
                err.println("Next: pql definitions publish draft.yaml, rescore, backtest, promote.");
                err.flush();
                return 0;
            }
        }

        private static String describe(pql.v1.RuleFinding rule) {
            String count = rule.getMinCount() == Math.rint(rule.getMinCount()) ? Long.toString((long) rule.getMinCount())
                    : Double.toString(rule.getMinCount());
            return rule.getAction() + " >= " + count + (rule.getWithinDays() > 0 ? " within " + rule.getWithinDays() + "d" : "");
        }
    }
}
