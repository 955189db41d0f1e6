package pql.scoring.axon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.eventstore.embedded.EmbeddedStoreOptions;
import pql.eventstore.embedded.RocksDbEventStore;
import pql.scoring.app.ScoringProjection;
import pql.scoring.domain.ProductComplexity;
import pql.scoring.domain.definition.CompiledDefinition;
import pql.scoring.domain.definition.DefinitionPresets;
import pql.scoring.domain.score.AccountState;
import pql.scoring.domain.score.ScoreEvaluator;
import pql.scoring.grpc.ScoreProtos;
import pql.scoring.store.SegmentSnapshotStore;
import pql.scoring.testing.Await;
import pql.scoring.testing.SampleHistory;

/**
 * The projection through Axon over the real embedded store: the same history under the same
 * definition gives byte-identical scores whether it was followed live or replayed, and a restart
 * resumes from the checkpoint without counting anything twice.
 */
class ProjectionReplayTest {

    private static final ProjectionRunner.Settings LIVE = new ProjectionRunner.Settings(2, 4, 64, null);
    private static final ProjectionRunner.Settings REPLAY = new ProjectionRunner.Settings(3, 16, 1000, null);

    @TempDir
    Path directory;

    private RocksDbEventStore store;
    private final List<ProjectionRunner> runners = new ArrayList<>();
    private final SampleHistory history = SampleHistory.generate(42, 60, 80);

    @BeforeEach
    void open() {
        store = RocksDbEventStore.open(EmbeddedStoreOptions.defaults(directory.resolve("events")));
    }

    @AfterEach
    void close() {
        runners.forEach(ProjectionRunner::halt);
        store.close();
    }

    private CompiledDefinition definition() {
        return new CompiledDefinition(1, DefinitionPresets.forComplexity(ProductComplexity.INTERMEDIATE));
    }

    private ProjectionRunner run(ScoringProjection projection, String name, ProjectionRunner.Settings settings,
            SegmentSnapshotStore snapshots) {
        ProjectionRunner runner = new ProjectionRunner(projection, name, store, new InMemoryTokenStore(), snapshots,
                settings, Clock.systemUTC());
        runner.start();
        runners.add(runner);
        return runner;
    }

    private void awaitCaughtUp(ScoringProjection projection) {
        Await.until("projection at the head", () -> projection.processedPosition() >= store.headPosition());
    }

    /** Every account's full score as its wire bytes, percentiles included. */
    private static Map<String, byte[]> scores(ScoringProjection projection) {
        long at = projection.newestEventAt();
        var percentiles = projection.viewAt(at).percentiles();
        Map<String, byte[]> scores = new TreeMap<>();
        for (AccountState state : projection.accounts()) {
            var score = ScoreEvaluator.evaluate(state, at, percentiles::ofMember, true);
            scores.put(state.accountId(), ScoreProtos.toProto(score).toByteArray());
        }
        return scores;
    }

    @Test
    void replayingTheHistoryGivesByteIdenticalScoresToFollowingItLive() {
        ScoringProjection live = new ScoringProjection(definition());
        run(live, "live", LIVE, null);
        // live: the projection follows while the history arrives in small appends
        history.appendTo(store, 0, history.size(), 7);
        awaitCaughtUp(live);

        ScoringProjection replayed = new ScoringProjection(definition());
        run(replayed, "replay", REPLAY, null);
        awaitCaughtUp(replayed);

        Map<String, byte[]> liveScores = scores(live);
        Map<String, byte[]> replayedScores = scores(replayed);
        assertThat(liveScores).hasSize(60);
        assertThat(replayedScores.keySet()).isEqualTo(liveScores.keySet());
        liveScores.forEach((account, bytes) -> assertThat(replayedScores.get(account))
                .as("score of %s", account).isEqualTo(bytes));
        assertThat(replayed.eventsApplied()).isEqualTo(live.eventsApplied()).isEqualTo(history.size());
        assertThat(live.recentTransitions(1000, null)).isNotEmpty();
    }

    @Test
    void aRestartResumesFromTheCheckpointWithoutDoubleCounting() {
        SegmentSnapshotStore snapshots = new SegmentSnapshotStore(directory.resolve("snapshots"));
        ProjectionRunner.Settings checkpointed = new ProjectionRunner.Settings(2, 4, 50, Duration.ZERO);
        history.appendTo(store, 0, 2000, 50);
        ScoringProjection first = new ScoringProjection(definition());
        ProjectionRunner runner = run(first, "scoring-v1", checkpointed, snapshots);
        awaitCaughtUp(first);
        runner.stop();
        runners.remove(runner);
        assertThat(snapshots.loadAll("scoring-v1", definition())).hasSize(2);

        history.appendTo(store, 2000, history.size(), 50);
        // a new process: fresh token store, fresh projection, only the snapshots survive
        ScoringProjection resumed = new ScoringProjection(definition());
        run(resumed, "scoring-v1", checkpointed, snapshots);
        awaitCaughtUp(resumed);
        assertThat(resumed.eventsApplied()).as("only the events after the checkpoint were applied")
                .isEqualTo(history.size() - 2000);

        ScoringProjection fromScratch = new ScoringProjection(definition());
        run(fromScratch, "reference", REPLAY, null);
        awaitCaughtUp(fromScratch);
        assertThat(scores(resumed)).usingRecursiveComparison().isEqualTo(scores(fromScratch));
    }

    @Test
    void aCrashLosesNoEventAndCountsNoneTwice() {
        SegmentSnapshotStore snapshots = new SegmentSnapshotStore(directory.resolve("snapshots"));
        // a checkpoint now and then while processing, no final one: the process dies
        ProjectionRunner.Settings checkpointed = new ProjectionRunner.Settings(2, 2, 20, Duration.ofMillis(5));
        ScoringProjection first = new ScoringProjection(definition());
        ProjectionRunner runner = run(first, "scoring-v1", checkpointed, snapshots);
        history.appendTo(store, 0, 3000, 20);
        awaitCaughtUp(first);
        runner.halt();
        runners.remove(runner);

        history.appendTo(store, 3000, history.size(), 100);
        ScoringProjection resumed = new ScoringProjection(definition());
        run(resumed, "scoring-v1", checkpointed, snapshots);
        awaitCaughtUp(resumed);

        ScoringProjection fromScratch = new ScoringProjection(definition());
        run(fromScratch, "reference", REPLAY, null);
        awaitCaughtUp(fromScratch);
        assertThat(scores(resumed)).usingRecursiveComparison().isEqualTo(scores(fromScratch));
        long countedEvents = resumed.accounts().stream().mapToLong(AccountState::eventsApplied).sum();
        assertThat(countedEvents).isEqualTo(history.size());
    }
}
