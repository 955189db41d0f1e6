package pql.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.allinone.sample.SampleDataGenerator;
import pql.allinone.sample.SampleJsonLines;

/**
 * `pql sample` reaches the all-in-one's sample writer by name (the CLI is compiled without it):
 * with the all-in-one on the classpath, as `./pql sample` runs, it writes the generator's events.
 */
class AllInOneEntryPointsTest {

    @TempDir
    Path directory;

    @Test
    void sampleWritesTheGeneratorsEventsThroughTheAllInOnesEntryPoint() throws Exception {
        Path file = directory.resolve("sample.jsonl");
        StringWriter out = new StringWriter();

        int code = Pql.commandLine(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true))
                .execute("sample", "--out", file.toString(), "--accounts", "5", "--seed", "7", "--anchor", "2025-06-30T00:00:00Z");

        List<String> expected = SampleDataGenerator.generate(5, 7, Instant.parse("2025-06-30T00:00:00Z")).stream()
                .map(SampleJsonLines::line).toList();
        assertThat(code).isZero();
        assertThat(Files.readAllLines(file)).isEqualTo(expected);
        assertThat(out.toString()).contains(String.format("%,d events of 5 accounts written to %s", expected.size(), file));
    }
}
