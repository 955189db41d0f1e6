package pql.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** ingest's progress: share, rate and ETA; redrawn in place on a terminal, a plain line per 10% otherwise. */
class IngestProgressTest {

    private final StringWriter text = new StringWriter();
    private final AtomicLong read = new AtomicLong();
    private final IngestStreamer streamer = new IngestStreamer(null, 1000, 8);

    private IngestProgress progress(boolean terminal, long size) {
        return new IngestProgress(new PrintWriter(text, true), terminal, size, read::get, streamer, System.nanoTime() - 10_000_000_000L);
    }

    @Test
    void offATerminalAPlainLineIsPrintedOnlyWhenAnother10PercentIsRead() {
        IngestProgress progress = progress(false, 1000);

        for (long bytes : new long[] {50, 90, 120, 150, 350, 360, 999}) {
            read.set(bytes);
            progress.tick();
        }
        read.set(1000);
        progress.finish();

        List<String> lines = text.toString().lines().toList();
        assertThat(lines).extracting(line -> line.substring(0, line.indexOf('%') + 1))
                .containsExactly("ingest: 12%", "ingest: 35%", "ingest: 99%", "ingest: 100%");
        assertThat(text.toString()).doesNotContain("\r");
    }

    @Test
    void aLineHasTheShareTheRateAndAnEta() {
        streamer.sent.set(3000);
        streamer.accepted.set(2000);
        read.set(250);

        String line = progress(true, 1000).line(0.25, System.nanoTime());

        // 10 s for a quarter: 30 s to go; 2,000 acknowledged in 10 s
        assertThat(line).matches("ingest: 25% 3,000 sent, 2,000 acknowledged, 200 events/s, eta 30 s");
    }

    @Test
    void onATerminalEveryTickRedrawsTheLineInPlace() {
        IngestProgress progress = progress(true, 1000);
        read.set(100);
        progress.tick();
        read.set(150);
        progress.tick();

        assertThat(text.toString()).startsWith("\ringest: 10% ").contains("\ringest: 15% ").doesNotContain("\n");
    }

    @Test
    void withoutASizeThereIsNoShareAndAPlainLineEveryTenTicks() {
        IngestProgress progress = progress(false, -1);
        for (int i = 0; i < 25; i++) {
            progress.tick();
        }

        assertThat(text.toString().lines().toList()).hasSize(2).allSatisfy(line -> assertThat(line).doesNotContain("%", "eta"));
    }

    @Test
    void durationsReadAsSecondsMinutesOrHours() {
        assertThat(IngestProgress.duration(42.4)).isEqualTo("42 s");
        assertThat(IngestProgress.duration(125)).isEqualTo("2 min 05 s");
        assertThat(IngestProgress.duration(7260)).isEqualTo("2 h 01 min");
    }
}
