package pql.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import pql.v1.Event;

/**
 * Coverage-guided fuzzing of `pql ingest`'s file readers with arbitrary bytes (read as UTF-8, as the
 * command reads a file). Any input gives, record by record, an event or a per-line error with the
 * line it starts on; the only exception is the documented IOException (a CSV without the required
 * header, a quoted field never closed), with a message. Never another exception, never a record
 * that is neither or both, never more records than the input has lines (so no endless loop).
 *
 * <p>Regression inputs: src/test/resources/pql/cli/EventReadersFuzzTestInputs/{csv,jsonLines}/.
 */
class EventReadersFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void csv(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        long lines = lineBreaks(text) + 1;
        try (CsvEventReader reader = new CsvEventReader(new StringReader(text))) {
            for (EventLine line : readAll(reader, lines, 2)) {
                if (line.isOk()) {
                    assertThat(line.event().getKindCase()).as("the kind column").isNotEqualTo(Event.KindCase.KIND_NOT_SET);
                } else {
                    // the reader's own words, naming the column, not a Java exception's
                    assertThat(line.error()).doesNotContain("Exception");
                }
            }
        } catch (IOException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @FuzzTest(maxDuration = "30s")
    void jsonLines(byte[] input) throws IOException {
        String text = new String(input, StandardCharsets.UTF_8);
        long lines = lineBreaks(text) + 1;
        try (JsonLinesEventReader reader = new JsonLinesEventReader(new BufferedReader(new StringReader(text)))) {
            for (EventLine line : readAll(reader, lines, 1)) {
                if (!line.isOk()) {
                    assertThat(line.error()).startsWith("not a pql.v1.Event in JSON");
                }
            }
        }
    }

    /** Every record; each is an event or an error, on a later line than the one before. */
    private static List<EventLine> readAll(EventReader reader, long lines, long firstLine) throws IOException {
        List<EventLine> records = new ArrayList<>();
        long previous = firstLine - 1;
        EventLine line;
        while ((line = reader.next()) != null) {
            records.add(line);
            assertThat(records.size()).as("records read from %d lines", lines).isLessThanOrEqualTo((int) Math.min(lines, Integer.MAX_VALUE));
            assertThat(line.line()).isGreaterThan(previous).isLessThanOrEqualTo(lines);
            previous = line.line();
            assertThat(line.isOk()).as("an event or an error, not both: %s", line).isEqualTo(line.error() == null);
            if (!line.isOk()) {
                assertThat(line.error()).isNotBlank();
            }
        }
        return records;
    }

    /** Line breaks as the readers count them: \n, \r\n and a lone \r each end a line. */
    private static long lineBreaks(String text) {
        long breaks = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n')) {
                breaks++;
            }
        }
        return breaks;
    }
}
