package pql.eventstore.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.eventstore.StoredEvent;
import pql.eventstore.StreamVersions;

/**
 * Durability under a real crash: a child JVM appends under load and is killed with SIGKILL
 * ({@code kill -9}). After reopening, every event the child saw acknowledged
 * must be readable at its acknowledged position, and the log must be intact.
 */
class CrashRecoveryTest {

    @TempDir
    Path directory;

    @Test
    void noAcknowledgedEventIsLostWhenTheWriterIsKilled() throws Exception {
        Map<String, Long> acknowledged = new HashMap<>();
        for (int round = 0; round < 3; round++) {
            acknowledged.putAll(runAndKill(directory.resolve("events"), "run" + round, 3_000 + round * 2_000));
        }
        assertThat(acknowledged).hasSizeGreaterThan(9_000);

        try (RocksDbEventStore store = RocksDbEventStore.open(EmbeddedStoreOptions.defaults(directory.resolve("events")))) {
            Map<String, Long> stored = new HashMap<>();
            Map<String, Long> lastVersion = new HashMap<>();
            long previous = StreamVersions.BEFORE_FIRST_POSITION;
            List<StoredEvent> page;
            long after = StreamVersions.BEFORE_FIRST_POSITION;
            while (!(page = store.readAll(after, 5_000)).isEmpty()) {
                for (StoredEvent event : page) {
                    assertThat(event.globalPosition()).isGreaterThan(previous);
                    previous = event.globalPosition();
                    long expectedVersion = lastVersion.getOrDefault(event.streamId(), -1L) + 1;
                    assertThat(event.streamVersion()).as("stream %s stays contiguous", event.streamId())
                            .isEqualTo(expectedVersion);
                    lastVersion.put(event.streamId(), event.streamVersion());
                    stored.put(event.streamId() + " " + event.envelope().getEventId(), event.globalPosition());
                }
                after = page.get(page.size() - 1).globalPosition();
            }
            for (Map.Entry<String, Long> ack : acknowledged.entrySet()) {
                assertThat(stored.get(ack.getKey())).as("acknowledged event %s", ack.getKey()).isEqualTo(ack.getValue());
            }
            assertThat(store.headPosition()).isEqualTo(previous);
            lastVersion.forEach((stream, version) -> assertThat(store.streamVersion(stream)).isEqualTo(version));
        }
    }

    /** Starts the appender, waits for {@code minAcks} acknowledgements, kills it, returns them. */
    private Map<String, Long> runAndKill(Path store, String run, int minAcks) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                CrashingAppender.class.getName(), store.toString(), run)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        Map<String, Long> acks = new HashMap<>();
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (acks.size() < minAcks && (line = reader.readLine()) != null) {
                lines.add(line);
                String[] parts = line.split(" ");
                acks.put(parts[1] + " " + parts[2], Long.parseLong(parts[3]));
            }
            // a real SIGKILL from outside: Process.destroyForcibly would also close our end of the pipe
            Process kill = new ProcessBuilder("kill", "-9", Long.toString(child.pid())).start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
            // lines printed before the kill landed were acknowledged too
            while ((line = reader.readLine()) != null) {
                String[] parts = line.split(" ");
                if (parts.length == 4 && parts[0].equals("ACK")) {
                    acks.put(parts[1] + " " + parts[2], Long.parseLong(parts[3]));
                }
            }
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
        assertThat(acks).as("the child acknowledged events before it was killed").hasSizeGreaterThanOrEqualTo(minAcks);
        return acks;
    }
}
