package pql.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code pql sample}: argument parsing only (the generator is tested where it lives); the command
 * may move with the all-in-one, and these tests with it.
 */
class SampleCommandTest {

    @TempDir
    Path directory;

    private static SampleCommand parse(String... args) {
        SampleCommand command = new SampleCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void defaultsAreTwoThousandAccountsSeed42AndNowAsTheAnchor() {
        SampleCommand command = parse("--out", "sample.jsonl");

        assertThat(command.out).isEqualTo(Path.of("sample.jsonl"));
        assertThat(command.accounts).isEqualTo(2000);
        assertThat(command.seed).isEqualTo(42);
        assertThat(command.anchor).isNull();
    }

    @Test
    void everyOptionIsRead() {
        SampleCommand command = parse("--out", "s.jsonl", "--accounts", "30", "--seed", "7", "--anchor", "2025-06-01T00:00:00Z");

        assertThat(command.accounts).isEqualTo(30);
        assertThat(command.seed).isEqualTo(7);
        assertThat(command.anchor).isEqualTo(com.google.protobuf.util.Timestamps.parseUnchecked("2025-06-01T00:00:00Z"));
    }

    @Test
    void theOutputFileIsRequired() {
        FakeGateway.Run run = FakeGateway.run("sample", "--accounts", "3");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required option: '--out=<out>'");
    }

    @Test
    void countsThatAreNotNumbersAreUsageErrors() {
        FakeGateway.Run run = FakeGateway.run("sample", "--out", directory.resolve("s.jsonl").toString(), "--seed", "random");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid value for option '--seed': 'random' is not a long");
        assertThat(directory.resolve("s.jsonl")).doesNotExist();
    }

    @Test
    void anAnchorThatIsNoDateIsAUsageErrorBeforeWritingAnything() {
        Path out = directory.resolve("s.jsonl");

        FakeGateway.Run run = FakeGateway.run("sample", "--out", out.toString(), "--accounts", "1", "--anchor", "someday");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("Invalid value for option '--anchor': 'someday' is not a date or instant");
        assertThat(Files.exists(out)).isFalse();
    }
}
