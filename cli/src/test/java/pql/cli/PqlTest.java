package pql.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The root command: help, version, unknown commands and options, global options anywhere on the line. */
class PqlTest {

    @RegisterExtension
    final FakeGateway gateway = new FakeGateway();

    @Test
    void helpListsEveryCommandAndTheGlobalOptions() {
        FakeGateway.Run run = FakeGateway.run("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("Usage: pql ");
        assertThat(run.out()).contains("start", "ingest", "scores", "forecast", "definitions", "keys", "sample", "bench",
                "help", "--target", "--key", "--tls", "--ca", "--deadline");
        assertThat(run.out()).contains("localhost:50051").contains("(default 30)");
    }

    @Test
    void everyCommandTakesHelpAndHWithoutCallingTheGateway() {
        for (String path : commandPaths(Pql.commandLine(new java.io.PrintWriter(java.io.Writer.nullWriter()),
                new java.io.PrintWriter(java.io.Writer.nullWriter())), "")) {
            for (String help : new String[] {"--help", "-h"}) {
                String[] args = (path + " " + help).strip().split(" ");
                FakeGateway.Run run = gateway.pql(args);

                assertThat(run.exitCode()).as(path + " " + help + ": " + run.err()).isZero();
                assertThat(run.out()).as(path + " " + help).startsWith(("Usage: pql " + path).strip());
            }
        }
        assertThat(gateway.calls("ListAccountScores") + gateway.calls("GetForecast") + gateway.calls("StreamForecastLines")).isZero();
    }

    @Test
    void theCommandListGivesEachCommandAWholeSentence() {
        CommandLine pql = Pql.commandLine(new java.io.PrintWriter(java.io.Writer.nullWriter()),
                new java.io.PrintWriter(java.io.Writer.nullWriter()));
        for (String path : commandPaths(pql, "")) {
            if (path.isEmpty()) {
                continue;
            }
            CommandLine command = pql;
            for (String name : path.split(" ")) {
                command = command.getSubcommands().get(name);
            }
            String summary = command.getCommandSpec().usageMessage().description()[0];
            assertThat(summary).as(path).matches("[A-Z].*[.)]");
            String parent = path.contains(" ") ? path.substring(0, path.lastIndexOf(' ')) : "";
            FakeGateway.Run help = gateway.pql((parent + " --help").strip().split(" "));
            // wrapped to the terminal's width, whole: compared without the white space
            String listing = help.out().substring(help.out().indexOf("Commands:")).replaceAll("\\s+", "");
            assertThat(listing).as("the listing of " + parent).contains(summary.replaceAll("\\s+", ""));
        }
    }

    /** "", "scores", "definitions", "definitions publish", ... every command below {@code commandLine}. */
    private static java.util.List<String> commandPaths(CommandLine commandLine, String path) {
        java.util.List<String> paths = new java.util.ArrayList<>(java.util.List.of(path));
        commandLine.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                paths.addAll(commandPaths(sub, (path + " " + name).strip()));
            }
        });
        return paths;
    }

    @Test
    void versionPrintsTheVersion() {
        FakeGateway.Run run = FakeGateway.run("--version");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().strip()).isEqualTo("pql 0.1.0");
    }

    @Test
    void helpOfACommandPrintsItsOwnUsageWithoutCallingTheGateway() {
        FakeGateway.Run viaHelp = gateway.pql("help", "scores");
        FakeGateway.Run viaOption = gateway.pql("definitions", "rescore", "--help");

        assertThat(viaHelp.exitCode()).isZero();
        assertThat(viaHelp.out()).startsWith("Usage: pql scores").contains("--pql-only", "--order", "--as-of");
        assertThat(viaOption.exitCode()).isZero();
        assertThat(viaOption.out()).startsWith("Usage: pql definitions rescore").contains("VERSION", "--wait", "--timeout");
        assertThat(gateway.calls("ListAccountScores") + gateway.calls("StartRescore")).isZero();
    }

    @Test
    void anUnknownCommandIsAUsageErrorThatNamesItAndSuggestsACloseOne() {
        FakeGateway.Run run = gateway.pql("frobnicate");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unmatched argument at index 4: 'frobnicate'").contains("Did you mean: ").contains("pql forecast");
    }

    @Test
    void anUnknownOptionIsAUsageErrorThatNamesIt() {
        FakeGateway.Run root = FakeGateway.run("--colour", "scores");
        FakeGateway.Run command = gateway.pql("scores", "--colour");

        assertThat(root.exitCode()).isEqualTo(2);
        assertThat(root.err()).contains("Unknown option: '--colour'");
        assertThat(command.exitCode()).isEqualTo(2);
        assertThat(command.err()).contains("Unknown option: '--colour'").contains("see: pql scores --help");
        assertThat(gateway.calls("ListAccountScores")).isZero();
    }

    @Test
    void noCommandAtAllIsAUsageError() {
        FakeGateway.Run run = FakeGateway.run();

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required subcommand").contains("see: pql --help");
    }

    @Test
    void globalOptionsMayFollowTheCommand() {
        FakeGateway.Run run = FakeGateway.run("scores", "--target", gateway.target(), "--key", "pql_k", "--deadline", "5");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(gateway.calls("ListAccountScores")).isEqualTo(1);
    }

    @Test
    void aDeadlineThatIsNotANumberIsAUsageError() {
        FakeGateway.Run run = gateway.pql("--deadline", "soon", "scores");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid value for option '--deadline': 'soon' is not a long");
        assertThat(gateway.calls("ListAccountScores")).isZero();
    }
}
