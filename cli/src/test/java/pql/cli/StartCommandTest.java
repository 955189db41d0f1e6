package pql.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code pql start}: argument parsing only, and the refusal when there is no config file (nothing is
 * started). The command may move with the all-in-one, and these tests with it.
 */
class StartCommandTest {

    @TempDir
    Path directory;

    private static StartCommand parse(String... args) {
        StartCommand command = new StartCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void theConfigFileIsOptional() {
        assertThat(parse().config).isNull();
        assertThat(parse("--config", "my.yml").config).isEqualTo(Path.of("my.yml"));
    }

    @Test
    void aConfigFileThatDoesNotExistIsRefusedWithAHint() {
        Path missing = directory.resolve("missing.yml");

        FakeGateway.Run run = FakeGateway.run("start", "--config", missing.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo("error: no config file at " + missing + " (pass --config FILE)");
    }

    @Test
    void withoutConfigItLooksForTheAllInOneYamlUnderPqlHome() {
        String before = System.getProperty("pql.home");
        System.setProperty("pql.home", directory.toString());
        try {
            FakeGateway.Run run = FakeGateway.run("start");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err().strip()).isEqualTo("error: no config file at "
                    + Path.of(directory.toString(), "all-in-one", "config.yml") + " (pass --config FILE)");
        } finally {
            if (before == null) {
                System.clearProperty("pql.home");
            } else {
                System.setProperty("pql.home", before);
            }
        }
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        FakeGateway.Run run = FakeGateway.run("start", "--port", "8080");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unknown options: '--port', '8080'");
    }
}
