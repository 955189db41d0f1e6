package pql.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
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
        assertThat(run.err()).contains("Unmatched argument at index 4: 'frobnicate'").contains("Did you mean: pql forecast");
    }

    @Test
    void anUnknownOptionIsAUsageErrorThatNamesIt() {
        FakeGateway.Run root = FakeGateway.run("--colour", "scores");
        FakeGateway.Run command = gateway.pql("scores", "--colour");

        assertThat(root.exitCode()).isEqualTo(2);
        assertThat(root.err()).contains("Unknown option: '--colour'");
        assertThat(command.exitCode()).isEqualTo(2);
        assertThat(command.err()).contains("Unknown option: '--colour'").contains("Usage: pql scores");
        assertThat(gateway.calls("ListAccountScores")).isZero();
    }

    @Test
    void noCommandAtAllIsAUsageError() {
        FakeGateway.Run run = FakeGateway.run();

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required subcommand").contains("Usage: pql");
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
