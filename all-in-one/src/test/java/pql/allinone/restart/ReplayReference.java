package pql.allinone.restart;

import io.grpc.Channel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import pql.allinone.AllInOneConfig;
import pql.allinone.SuiteFactory;
import pql.allinone.SuiteModules;
import pql.allinone.support.RunningAllInOne;
import pql.common.ServiceModule;
import pql.common.telemetry.Telemetry;
import pql.eventstore.EventStore;
import pql.scoring.ScoringModule;

/**
 * The answers of a fresh replay of a log: an all-in-one (in this JVM) on a copy of a data
 * directory whose scoring checkpoints are deleted, so its projection is rebuilt from the first
 * event. It is read only once it has provably applied the whole log with every segment (checked
 * on the projection itself, not through the readiness under test), and its forecast does not warm
 * its cache at start, so nothing it answers depends on what the test is checking.
 */
final class ReplayReference {

    private ReplayReference() {
    }

    /** Copies {@code dataDirectory} (the process using it must be stopped) and reads a replay of its log. */
    static Answers of(Path dataDirectory, Path scratch, Instant pastAsOf, Instant liveAt) throws Exception {
        Path copy = Files.createTempDirectory(scratch, "replay-");
        copyTree(dataDirectory, copy);
        deleteTree(copy.resolve("scoring"));
        CapturingSuite suite = new CapturingSuite();
        try (RunningAllInOne replay = new RunningAllInOne(suite, copy, Map.of("forecast.warmOnStart", "false"))) {
            awaitWholeLogApplied(suite.scoring, Duration.ofSeconds(120));
            Channel channel = replay.channel();
            return Answers.read(channel, replay.localKey(), pastAsOf, liveAt);
        } finally {
            deleteTree(copy);
        }
    }

    private static void awaitWholeLogApplied(ScoringModule scoring, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int confirmations = 0;
        while (confirmations < 2) {
            var projection = scoring.servingProjection();
            boolean applied = projection.heldSegmentCount() == SEGMENTS && scoring.projectionLag() == 0
                    && projection.processedPosition() > 0;
            confirmations = applied ? confirmations + 1 : 0;
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the replay did not apply the whole log within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(100);
        }
    }

    /** The segments of the bundled config's scoring section (the default). */
    private static final int SEGMENTS = new pql.scoring.ScoringSettings().getSegments();

    /** The real services, keeping a hold of scoring to see how far its projection got. */
    private static final class CapturingSuite implements SuiteFactory {
        private final SuiteModules real = new SuiteModules();
        private volatile ScoringModule scoring;

        @Override
        public ServiceModule ingest(AllInOneConfig config, SettingsBinder settings, EventStore store, Telemetry telemetry,
                Clock clock) {
            return real.ingest(config, settings, store, telemetry, clock);
        }

        @Override
        public ServiceModule scoring(AllInOneConfig config, SettingsBinder settings, EventStore store, Telemetry telemetry,
                Clock clock) {
            ScoringModule module = (ScoringModule) real.scoring(config, settings, store, telemetry, clock);
            scoring = module;
            return module;
        }

        @Override
        public ServiceModule forecast(AllInOneConfig config, SettingsBinder settings, io.grpc.Channel scoringChannel,
                Telemetry telemetry, Clock clock) {
            return real.forecast(config, settings, scoringChannel, telemetry, clock);
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
