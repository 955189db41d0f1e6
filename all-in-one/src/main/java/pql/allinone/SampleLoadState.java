package pql.allinone;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * Remembers a sample load in progress, with its anchor, so a start that was killed half-way
 * resumes it: the same anchor regenerates the same events, those already stored come back as
 * duplicates (no-ops) and the rest are appended.
 */
final class SampleLoadState {

    private final Path file;

    SampleLoadState(Path file) {
        this.file = file;
    }

    /** The anchor of a load that was started and never finished. */
    Optional<Instant> unfinished() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties state = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            state.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return "loading".equals(state.getProperty("status")) ? Optional.of(Instant.parse(state.getProperty("anchor"))) : Optional.empty();
    }

    void loading(Instant anchor) {
        write("loading", anchor);
    }

    void done(Instant anchor) {
        write("done", anchor);
    }

    private void write(String status, Instant anchor) {
        Properties state = new Properties();
        state.setProperty("status", status);
        state.setProperty("anchor", anchor.toString());
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path temp = Files.createTempFile(parent, ".sample-data", ".tmp");
            try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                state.store(out, "sample data load of the all-in-one");
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
