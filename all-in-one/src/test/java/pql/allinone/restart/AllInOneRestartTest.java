package pql.allinone.restart;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.gateway.support.RunningGateway;
import pql.v1.DefinitionServiceGrpc;
import pql.v1.DefinitionStatus;
import pql.v1.DefinitionVersion;
import pql.v1.Forecast;
import pql.v1.ForecastServiceGrpc;
import pql.v1.GetDefinitionRequest;
import pql.v1.GetForecastRequest;
import pql.v1.GetRescoreRequest;
import pql.v1.ListAccountScoresRequest;
import pql.v1.PromoteDefinitionRequest;
import pql.v1.PublishDefinitionRequest;
import pql.v1.ScoringDefinition;
import pql.v1.ScoringServiceGrpc;
import pql.v1.StartRescoreRequest;

/**
 * Issue #11, "a restart never changes an answer": the all-in-one, a real process on one data
 * directory, is stopped 20 times, gracefully (SIGTERM) or not (SIGKILL), idle, under ingest load
 * (a client streaming events as the signal arrives) or right after a definition promote, and
 * started again. Each time, as soon as its gRPC health says SERVING, every account's score and
 * persona, the live forecast and its lines, and the forecast at a fixed {@code as_of} must equal
 * those of a fresh replay of the same log (an all-in-one on a copy of the data directory without
 * scoring's checkpoints), field for field.
 */
class AllInOneRestartTest {

    private static final int ACCOUNTS = 250;

    private enum Before { IDLE, INGEST_LOAD, PROMOTE }

    private enum Stop { SIGTERM, SIGKILL }

    private record Step(Before before, Stop stop) {
        @Override
        public String toString() {
            return stop + (before == Before.IDLE ? "" : " " + before.name().toLowerCase(Locale.ROOT).replace('_', ' '));
        }
    }

    /** 9 idle, 7 under ingest load, 4 right after a promote; SIGTERM and SIGKILL in each. */
    private static final List<Step> STEPS = List.of(
            new Step(Before.IDLE, Stop.SIGTERM), new Step(Before.IDLE, Stop.SIGKILL),
            new Step(Before.INGEST_LOAD, Stop.SIGTERM), new Step(Before.INGEST_LOAD, Stop.SIGKILL),
            new Step(Before.PROMOTE, Stop.SIGTERM), new Step(Before.IDLE, Stop.SIGKILL),
            new Step(Before.IDLE, Stop.SIGTERM), new Step(Before.INGEST_LOAD, Stop.SIGKILL),
            new Step(Before.PROMOTE, Stop.SIGKILL), new Step(Before.IDLE, Stop.SIGTERM),
            new Step(Before.INGEST_LOAD, Stop.SIGTERM), new Step(Before.IDLE, Stop.SIGKILL),
            new Step(Before.PROMOTE, Stop.SIGTERM), new Step(Before.INGEST_LOAD, Stop.SIGKILL),
            new Step(Before.IDLE, Stop.SIGTERM), new Step(Before.IDLE, Stop.SIGKILL),
            new Step(Before.INGEST_LOAD, Stop.SIGTERM), new Step(Before.PROMOTE, Stop.SIGKILL),
            new Step(Before.INGEST_LOAD, Stop.SIGKILL), new Step(Before.IDLE, Stop.SIGTERM));

    @TempDir
    Path scratch;

    @Test
    void everyRestartAnswersExactlyAsAFreshReplayOfTheLogOnceItSaysServing() throws Exception {
        Path data = Files.createDirectories(scratch.resolve("data"));
        Path log = scratch.resolve("all-in-one.log");
        // The sample ends a day ago (whole seconds): every event is in the past, the fixed as_of inside it.
        Instant anchor = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        Instant pastAsOf = anchor.minus(10, ChronoUnit.DAYS);
        // every read of the live state is evaluated at this one instant, after every event (streamed ones
        // included: they are dated up to the anchor) and in the past, so both sides answer for the same moment
        Instant liveAt = anchor.plus(1, ChronoUnit.HOURS);
        Map<String, String> settings = Map.of(
                "sampleData.accounts", Integer.toString(ACCOUNTS),
                "sampleData.anchor", anchor.toString(),
                "proxy.healthPeriodSeconds", "1");
        // Every other run checkpoints every second (a kill finds recent checkpoints, some written under
        // load); the others keep the default minute, more than they live, so a kill leaves only the
        // checkpoints of the last graceful stop and the restart replays everything since.
        Map<String, String> frequentCheckpoints = new java.util.HashMap<>(settings);
        frequentCheckpoints.put("scoring.checkpointInterval", "1s");

        AllInOneProcess allInOne = AllInOneProcess.start(data, frequentCheckpoints, log);
        List<String> report = new ArrayList<>();
        try {
            allInOne.awaitServing(Duration.ofSeconds(180));
            String key = Files.readString(data.resolve("local-api-key")).trim();
            List<String> accountIds = awaitSampleScored(allInOne.channel(), key, pastAsOf, liveAt);
            Answers expected = null;
            boolean logChanged = true;
            int version = 1;
            for (int i = 0; i < STEPS.size(); i++) {
                Step step = STEPS.get(i);
                long stepStarted = System.nanoTime();
                if (step.before() == Before.PROMOTE) {
                    version = promoteANewVersion(allInOne.channel(), key, i);
                    logChanged = true;
                }
                if (step.before() == Before.INGEST_LOAD) {
                    stopUnderLoad(allInOne, key, accountIds, anchor, "restart-" + i, step.stop());
                    logChanged = true;
                } else if (step.stop() == Stop.SIGTERM) {
                    allInOne.terminate();
                } else {
                    allInOne.kill();
                }
                if (logChanged) {
                    expected = ReplayReference.of(data, scratch, pastAsOf, liveAt);
                    logChanged = false;
                }
                allInOne = AllInOneProcess.start(data, i % 2 == 0 ? settings : frequentCheckpoints, log);
                EarlyReads early = new EarlyReads(allInOne.channel(), key);
                Duration untilServing = allInOne.awaitServing(Duration.ofSeconds(120), early::probe);
                Answers restarted = Answers.read(allInOne.channel(), key, pastAsOf, liveAt);
                List<String> differences = new ArrayList<>(restarted.differencesFrom(expected));
                differences.addAll(early.partialAnswers(expected));
                report.add(String.format(Locale.ROOT,
                        "restart %2d (%s): SERVING after %d ms (%d reads before: %d refused, %d whole), %d accounts, v%d, %s (%.1f s)",
                        i + 1, step, untilServing.toMillis(), early.sent, early.refused, early.answered.size(),
                        restarted.scores().size(), version, differences.isEmpty() ? "same as the replay" : "DIFFERENT",
                        (System.nanoTime() - stepStarted) / 1e9));
                assertThat(differences).as("restart %d (%s) against a fresh replay of the same log:%n%s", i + 1, step,
                        String.join(System.lineSeparator(), report)).isEmpty();
                assertThat(restarted.scores()).isNotEmpty();
                int serving = version;
                assertThat(restarted.scores().values()).allMatch(score -> score.getDefinitionVersion() == serving);
            }
        } finally {
            System.out.println(String.join(System.lineSeparator(), report));
            allInOne.close();
        }
    }

    /**
     * Reads sent from the moment the process is started until it says SERVING: each may be refused
     * (the gateway not up yet, scoring restoring: UNAVAILABLE) but an answer must be whole, never
     * the accounts of some segments only.
     */
    private static final class EarlyReads {
        private final ScoringServiceGrpc.ScoringServiceBlockingStub scoring;
        private final ForecastServiceGrpc.ForecastServiceBlockingStub forecast;
        private final List<String> answered = new ArrayList<>();
        private int sent;
        private int refused;

        EarlyReads(Channel gateway, String key) {
            var credentials = RunningGateway.bearer(key);
            this.scoring = ScoringServiceGrpc.newBlockingStub(gateway).withCallCredentials(credentials);
            this.forecast = ForecastServiceGrpc.newBlockingStub(gateway).withCallCredentials(credentials);
        }

        void probe() {
            sent++;
            try {
                long accounts = scoring.withDeadlineAfter(5, TimeUnit.SECONDS).listAccountScores(
                        ListAccountScoresRequest.newBuilder().setPageSize(1).build()).getTotalSize();
                Forecast live = forecast.withDeadlineAfter(5, TimeUnit.SECONDS).getForecast(GetForecastRequest.getDefaultInstance());
                answered.add(summary(accounts, live.getOpenTrials(), live.getPipeline().getAmountMicros()));
            } catch (StatusRuntimeException e) {
                refused++;
            }
        }

        List<String> partialAnswers(Answers expected) {
            String whole = summary(expected.scores().size(), expected.liveForecast().getOpenTrials(),
                    expected.liveForecast().getPipeline().getAmountMicros());
            return answered.stream().filter(answer -> !answer.equals(whole))
                    .map(answer -> "a read before SERVING answered " + answer + " where the replay has " + whole)
                    .distinct().toList();
        }

        private static String summary(long accounts, long openTrials, long pipelineMicros) {
            return accounts + " accounts, " + openTrials + " open trials, " + pipelineMicros / 1_000_000 + " pipeline";
        }
    }

    /** Waits until every sample account is scored, and returns their ids. */
    private static List<String> awaitSampleScored(Channel gateway, String key, Instant pastAsOf, Instant liveAt)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            try {
                Answers answers = Answers.read(gateway, key, pastAsOf, liveAt);
                if (answers.scores().size() >= ACCOUNTS) {
                    return List.copyOf(answers.scores().keySet());
                }
            } catch (StatusRuntimeException notYet) {
                // still loading the sample
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the sample was not scored within 120 s");
            }
            Thread.sleep(500);
        }
    }

    /** A client streams events; the process is stopped while the stream runs. */
    private static void stopUnderLoad(AllInOneProcess allInOne, String key, List<String> accountIds, Instant latest,
            String idPrefix, Stop stop) throws InterruptedException {
        EventStreamer streamer = new EventStreamer(allInOne.channel(), key, accountIds, latest, idPrefix);
        try {
            streamer.awaitAcknowledged(5L * EventStreamer.CHUNK, Duration.ofSeconds(60));
            if (stop == Stop.SIGTERM) {
                // the client keeps streaming into the shutdown for a moment, then ends its stream (a
                // stream kept open would hold the gateway's drain for its whole grace period)
                allInOne.terminate(() -> {
                    sleepQuietly(300);
                    closeQuietly(streamer);
                });
            } else {
                allInOne.kill();
            }
        } finally {
            streamer.close();
        }
    }

    /** Publishes a variant of the active definition, rescores it and promotes it; returns its version. */
    private static int promoteANewVersion(Channel gateway, String key, int step) throws InterruptedException {
        var definitions = DefinitionServiceGrpc.newBlockingStub(gateway).withCallCredentials(RunningGateway.bearer(key));
        DefinitionVersion active = definitions.withDeadlineAfter(30, TimeUnit.SECONDS)
                .getDefinition(GetDefinitionRequest.newBuilder().setVersion(0).build());
        double threshold = 0.4 + 0.1 * (step % 5);
        ScoringDefinition variant = active.getDefinition().toBuilder().setName("restart test, step " + step)
                .setPql(active.getDefinition().getPql().toBuilder().setMidThreshold(threshold)).build();
        int version = definitions.withDeadlineAfter(30, TimeUnit.SECONDS).publishDefinition(
                PublishDefinitionRequest.newBuilder().setDefinition(variant).build()).getVersion();
        definitions.withDeadlineAfter(30, TimeUnit.SECONDS).startRescore(StartRescoreRequest.newBuilder().setVersion(version).build());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (definitions.withDeadlineAfter(30, TimeUnit.SECONDS).getRescore(GetRescoreRequest.newBuilder()
                .setVersion(version).build()).getStatus() != DefinitionStatus.DEFINITION_STATUS_READY) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the rescore of v" + version + " did not become READY within 90 s");
            }
            Thread.sleep(100);
        }
        definitions.withDeadlineAfter(30, TimeUnit.SECONDS).promoteDefinition(PromoteDefinitionRequest.newBuilder()
                .setVersion(version).build());
        return version;
    }

    private static void closeQuietly(EventStreamer streamer) {
        try {
            streamer.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
