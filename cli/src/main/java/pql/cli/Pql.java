package pql.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code pql} command: a client of the gateway (and the launcher of the all-in-one). Global
 * options may come before or after the subcommand.
 */
@Command(name = "pql", mixinStandardHelpOptions = true, version = "pql 0.1.0", scope = ScopeType.INHERIT,
        description = "Product qualified leads and revenue forecasts from product-usage events.",
        subcommands = {
            StartCommand.class, IngestCommand.class, IngestErrorsCommand.class, ScoresCommand.class, ForecastCommand.class,
            RatesCommand.class, DefinitionsCommand.class, AlertsCommand.class, KeysCommand.class, SampleCommand.class, BenchCommand.class,
            CommandLine.HelpCommand.class})
public final class Pql {

    @Option(names = "--target", scope = ScopeType.INHERIT, defaultValue = "${env:PQL_TARGET:-localhost:50051}",
            description = "Gateway address host:port (env PQL_TARGET; default ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--key", scope = ScopeType.INHERIT, defaultValue = "${env:PQL_API_KEY}",
            description = "API key (env PQL_API_KEY; else the all-in-one's local key in ./data/local-api-key).")
    String key;

    @Option(names = "--tls", scope = ScopeType.INHERIT, description = "Use TLS to the gateway.")
    boolean tls;

    @Option(names = "--ca", scope = ScopeType.INHERIT, description = "PEM file of the CA that signed the gateway's certificate.")
    String caFile;

    @Option(names = "--deadline", scope = ScopeType.INHERIT, defaultValue = "30",
            description = "Deadline of each call in seconds (default ${DEFAULT-VALUE}).")
    long deadlineSeconds;

    public static void main(String[] args) {
        System.exit(commandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true)).execute(args));
    }

    /** The command line with pql's error reporting, writing to {@code out} / {@code err}. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new Pql());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler(new ErrorPrinter());
        commandLine.setParameterExceptionHandler(new Usage());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        return commandLine;
    }

    GatewayClient connect() {
        return GatewayClient.open(target, ApiKeySource.resolve(key), tls, caFile, deadlineSeconds);
    }
}
