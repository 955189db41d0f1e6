package pql.scoring.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.eventstore.AppendRequest;
import pql.eventstore.ExpectedVersion;
import pql.eventstore.StoredEvent;
import pql.eventstore.StreamIds;
import pql.eventstore.StreamVersions;
import pql.eventstore.embedded.EmbeddedStoreOptions;
import pql.eventstore.embedded.RocksDbEventStore;
import pql.scoring.domain.ProductComplexity;
import pql.scoring.domain.definition.CompiledDefinition;
import pql.scoring.domain.definition.DefinitionPresets;
import pql.scoring.domain.score.AccountState;
import pql.scoring.store.KnowledgeSnapshotFiles;
import pql.scoring.testing.SampleHistory;
import pql.scoring.wire.ProductActionReader;
import pql.v1.AccountProfiled;
import pql.v1.EventEnvelope;
import pql.v1.Money;
import pql.v1.Plan;
import pql.v1.ProductAction;

/**
 * known_at at the use-case level, on the embedded store: a projection fed by two segments at
 * different positions (as Axon's threads feed it) is snapshotted by position; what {@link PastKnowledge}
 * builds from those snapshots must be, account by account and byte for byte (the snapshot form of
 * every state), what a plain replay of the log up to the same position gives.
 *
 * <p>Given a varied history of 70 accounts (about 5,600 events: more than one sample of the
 * recorded-time index), appended in batches of 40, each batch recorded one second after the last.
 */
class PastKnowledgeTest {

    private static final Instant RECORDED_FROM = Instant.parse("2026-03-01T00:00:00Z");
    private static final int BATCH = 40;

    @TempDir
    Path directory;

    private RocksDbEventStore store;
    private final CompiledDefinition definition = new CompiledDefinition(1,
            DefinitionPresets.forComplexity(ProductComplexity.INTERMEDIATE));
    private KnowledgeSnapshots snapshots;
    private int batches;

    @BeforeEach
    void given() {
        store = RocksDbEventStore.open(EmbeddedStoreOptions.defaults(directory.resolve("events")));
        SampleHistory history = SampleHistory.generate(7, 70, 80);
        appendRecorded(history.events());
        // spacing = max(300, head / 4) with a head of 0: a snapshot every ~300 events, thinned to the 4 best spread
        snapshots = new KnowledgeSnapshots(new KnowledgeSnapshotFiles(directory.resolve("knowledge")), () -> 0L,
                new KnowledgeSnapshots.Settings(300, 4));
    }

    @AfterEach
    void close() {
        snapshots.close();
        store.close();
    }

    /** Appends {@code events} in batches, batch n recorded at RECORDED_FROM + n seconds. */
    private void appendRecorded(List<EventEnvelope> events) {
        for (int i = 0; i < events.size(); i += BATCH) {
            Instant recorded = RECORDED_FROM.plusSeconds(batches++);
            List<AppendRequest> requests = new ArrayList<>();
            for (EventEnvelope event : events.subList(i, Math.min(events.size(), i + BATCH))) {
                requests.add(new AppendRequest(StreamIds.forAccount(event.getAccountId()), ExpectedVersion.ANY,
                        List.of(event.toBuilder().setRecordedAt(SampleHistory.ts(recorded)).build())));
            }
            store.append(requests);
        }
    }

    /**
     * Feeds a projection as two segments (mask 1) in chunks of 97 events, segment 1 one chunk behind
     * segment 0, recording each segment's position after each of its chunks: the snapshots are taken then.
     */
    private ScoringProjection followWithTwoSegments() throws InterruptedException {
        ScoringProjection projection = new ScoringProjection(definition);
        snapshots.attach(projection);
        projection.holdSegment(0, 1);
        projection.holdSegment(1, 1);
        List<StoredEvent> log = store.readAll(StreamVersions.BEFORE_FIRST_POSITION, Integer.MAX_VALUE);
        ProductActionReader[] readers = {new ProductActionReader(definition), new ProductActionReader(definition)};
        List<List<StoredEvent>> chunks = new ArrayList<>();
        for (int i = 0; i < log.size(); i += 97) {
            chunks.add(log.subList(i, Math.min(log.size(), i + 97)));
        }
        for (int c = 0; c <= chunks.size(); c++) {
            for (int segment = 0; segment < 2; segment++) {
                int index = segment == 0 ? c : c - 1;
                if (index < 0 || index >= chunks.size()) {
                    continue;
                }
                List<StoredEvent> chunk = chunks.get(index);
                for (StoredEvent event : chunk) {
                    if ((event.streamId().hashCode() & 1) == segment) {
                        projection.apply(event, readers[segment]);
                    }
                }
                projection.recordSegmentPosition(segment, chunk.get(chunk.size() - 1).globalPosition());
                snapshots.awaitWritten(); // a segment skips a snapshot while its last one is being written: not here
            }
        }
        snapshots.awaitWritten();
        return projection;
    }

    private PastKnowledge knowledge(KnowledgeSnapshots from, Path index) {
        return new PastKnowledge(store, new RecordedTimeIndex(store, index), from, version -> definition,
                Clock.fixed(Instant.parse("2026-04-01T00:00:00Z"), ZoneOffset.UTC), Duration.ZERO, Duration.ofSeconds(10));
    }

    /** The log up to {@code position}, replayed from the start into a fresh projection (events after {@code asOf} ignored). */
    private ScoringProjection replay(long position, Long asOf) {
        ScoringProjection projection = asOf == null ? new ScoringProjection(definition) : new ScoringProjection(definition, asOf);
        ProductActionReader reader = new ProductActionReader(definition);
        for (StoredEvent event : store.readAll(StreamVersions.BEFORE_FIRST_POSITION, Integer.MAX_VALUE)) {
            if (event.globalPosition() <= position) {
                projection.apply(event, reader);
            }
        }
        return projection;
    }

    /** Every account's state in its snapshot form: equal maps mean bit-identical states. */
    private static Map<String, String> bytesOf(ScoringProjection projection) throws IOException {
        Map<String, String> all = new TreeMap<>();
        for (AccountState state : projection.accounts()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            state.writeTo(new DataOutputStream(bytes));
            all.put(state.accountId(), java.util.HexFormat.of().formatHex(bytes.toByteArray()));
        }
        return all;
    }

    /** The last position p whose event and every one before it were recorded at or before {@code knownAt}. */
    private long expectedPosition(long knownAt) {
        long last = StreamVersions.BEFORE_FIRST_POSITION;
        for (StoredEvent event : store.readAll(StreamVersions.BEFORE_FIRST_POSITION, Integer.MAX_VALUE)) {
            if (event.envelope().getRecordedAt().getSeconds() * 1000 > knownAt) {
                return last;
            }
            last = event.globalPosition();
        }
        return last;
    }

    @Test
    void foldingForwardFromTheNearestSnapshotsGivesTheSameStatesAsAReplayAtEveryPosition() throws Exception {
        followWithTwoSegments();
        List<KnowledgeSnapshotStore.Entry> taken = snapshots.entries(1);
        assertThat(taken).as("snapshots of both segments, at most 4 each after thinning")
                .extracting(KnowledgeSnapshotStore.Entry::segmentId).contains(0, 1);
        assertThat(taken.stream().filter(e -> e.segmentId() == 0).count()).isEqualTo(4);
        assertThat(taken.stream().filter(e -> e.segmentId() == 1).count()).isEqualTo(4);
        assertThat(snapshots.taken()).as("taken every ~300 events, then thinned").isGreaterThan(8);

        try (PastKnowledge knowledge = knowledge(snapshots, directory.resolve("recorded-time.idx"))) {
            // before anything was recorded, in the middle (between and at batches), and after everything
            for (long seconds : new long[] {-1, 0, 17, 41, 42, 77, 100, 139, 140, 1000}) {
                long knownAt = RECORDED_FROM.plusSeconds(seconds).toEpochMilli() + (seconds == 41 ? 999 : 0);
                PastKnowledge.Known known = knowledge.projection(1, knownAt, null);
                long expected = expectedPosition(knownAt);
                assertThat(known.position()).as("P known at +%d s", seconds).isEqualTo(expected);
                assertThat(bytesOf(known.projection())).as("states known at +%d s", seconds)
                        .isEqualTo(bytesOf(replay(expected, null)));
            }
        }
    }

    @Test
    void aSegmentWaitsForAFewOfItsEventsPerAccountBetweenTwoSnapshotsHoweverSmallTheSpacingIsSet() throws Exception {
        // given a spacing of 1 (a snapshot after every chunk of 97 positions, were it the only bound)
        snapshots.close();
        snapshots = new KnowledgeSnapshots(new KnowledgeSnapshotFiles(directory.resolve("knowledge-dense")), () -> 0L,
                new KnowledgeSnapshots.Settings(1, 1000));
        // when two segments follow the log
        followWithTwoSegments();
        // then each segment's snapshots are apart by at least 4 of its events per account it held (x 2 segments)
        for (int segment = 0; segment < 2; segment++) {
            int id = segment;
            List<KnowledgeSnapshotStore.Entry> chain = snapshots.entries(1).stream().filter(e -> e.segmentId() == id)
                    .sorted(java.util.Comparator.comparingLong(KnowledgeSnapshotStore.Entry::position)).toList();
            assertThat(chain).as("segment %d still snapshotted along the log", segment).hasSizeGreaterThan(5);
            for (int i = 1; i < chain.size(); i++) {
                long apart = chain.get(i).position() - chain.get(i - 1).position();
                assertThat(apart).as("segment %d, snapshots %d and %d", segment, i - 1, i)
                        .isGreaterThanOrEqualTo(KnowledgeSnapshots.EVENTS_PER_ACCOUNT_BETWEEN_SNAPSHOTS * 2L
                                * chain.get(i - 1).accounts());
            }
        }
    }

    @Test
    void asOfAnEarlierEventTimeRefoldsTheAccountsThatMovedOnAndMatchesAReplayWithTheSameCutOff() throws Exception {
        followWithTwoSegments();
        try (PastKnowledge knowledge = knowledge(snapshots, null)) {
            long knownAt = RECORDED_FROM.plusSeconds(100).toEpochMilli();
            for (Instant asOf : new Instant[] {SampleHistory.START.plus(Duration.ofDays(5)),
                    SampleHistory.START.plus(Duration.ofDays(12)), SampleHistory.START.plus(Duration.ofDays(300))}) {
                PastKnowledge.Known known = knowledge.projection(1, knownAt, asOf.toEpochMilli());
                ScoringProjection replayed = replay(known.position(), asOf.toEpochMilli());
                assertThat(replayed.accountCount()).isPositive();
                assertThat(bytesOf(known.projection())).as("as of %s", asOf).isEqualTo(bytesOf(replayed));
            }
        }
    }

    @Test
    void aBackfillOfEventsDatedBeforeTRecordedAfterTChangesNothingKnownAtT() throws Exception {
        followWithTwoSegments();
        long t = RECORDED_FROM.plusSeconds(batches - 1).toEpochMilli(); // everything so far was recorded by T
        long asOf = SampleHistory.START.plus(Duration.ofDays(40)).toEpochMilli();
        Map<String, String> before;
        Map<String, String> scoresBefore;
        try (PastKnowledge knowledge = knowledge(snapshots, directory.resolve("recorded-time.idx"))) {
            PastKnowledge.Known known = knowledge.projection(1, t, asOf);
            before = bytesOf(known.projection());
            scoresBefore = scores(known, asOf);
        }

        // the backfill: new trials and more activity of known accounts, dated before T, recorded after it
        List<EventEnvelope> backfill = new ArrayList<>();
        Instant dated = SampleHistory.START.plus(Duration.ofDays(3));
        for (int i = 0; i < 30; i++) {
            backfill.add(SampleHistory.envelope("late-" + i, 0, dated, AccountProfiled.newBuilder().setPlan(Plan.PLAN_TRIAL)
                    .setDealSize(Money.newBuilder().setAmountMicros(20_000_000_000L).setCurrency("USD")).build()));
            backfill.add(SampleHistory.envelope("acct-" + i, 1000 + i, dated, ProductAction.newBuilder().setUserId("u0")
                    .setAction("integration_enabled").build()));
        }
        appendRecorded(backfill);

        try (PastKnowledge knowledge = knowledge(snapshots, directory.resolve("recorded-time.idx"))) {
            PastKnowledge.Known known = knowledge.projection(1, t, asOf);
            assertThat(bytesOf(known.projection())).isEqualTo(before);
            assertThat(scores(known, asOf)).isEqualTo(scoresBefore);

            long now = RECORDED_FROM.plusSeconds(batches).toEpochMilli();
            PastKnowledge.Known everything = knowledge.projection(1, now, asOf);
            assertThat(everything.position()).isGreaterThan(known.position());
            assertThat(everything.projection().accountCount()).isEqualTo(known.projection().accountCount() + 30);
            assertThat(bytesOf(everything.projection())).isNotEqualTo(before);
        }
    }

    private static Map<String, String> scores(PastKnowledge.Known known, long asOf) {
        Map<String, String> all = new TreeMap<>();
        var percentiles = known.projection().viewAt(asOf).percentiles();
        for (AccountState state : known.projection().accounts()) {
            all.put(state.accountId(), pql.scoring.domain.score.ScoreEvaluator.evaluate(state, asOf,
                    percentiles::ofMember, true).toString());
        }
        return all;
    }

    @Test
    void theKnownPositionIsAPrefixOfTheLogEvenWhenRecordedTimesAreOutOfOrder() {
        // recorded at +1, +2, +5, +3, +4, +6 s: concurrent batches can reach the log against their stamps
        int[] seconds = {1, 2, 5, 3, 4, 6};
        List<Long> positions = new ArrayList<>();
        try (RocksDbEventStore log = RocksDbEventStore.open(EmbeddedStoreOptions.defaults(directory.resolve("log2")))) {
            for (int i = 0; i < seconds.length; i++) {
                EventEnvelope event = SampleHistory.envelope("a", i, SampleHistory.START, ProductAction.newBuilder()
                        .setUserId("u").setAction("login").build()).toBuilder()
                        .setRecordedAt(SampleHistory.ts(RECORDED_FROM.plusSeconds(seconds[i]))).build();
                positions.add(log.append(StreamIds.forAccount("a"), ExpectedVersion.ANY, List.of(event)).events().get(0)
                        .globalPosition());
            }
            RecordedTimeIndex index = new RecordedTimeIndex(log, null);
            assertThat(index.positionKnownAt(RECORDED_FROM.toEpochMilli())).isEqualTo(StreamVersions.BEFORE_FIRST_POSITION);
            assertThat(index.positionKnownAt(RECORDED_FROM.plusSeconds(2).toEpochMilli())).isEqualTo(positions.get(1));
            // +3 and +4 were recorded by +4, but +5 came before them in the log: only the prefix up to +2 counts
            assertThat(index.positionKnownAt(RECORDED_FROM.plusSeconds(4).toEpochMilli())).isEqualTo(positions.get(1));
            assertThat(index.positionKnownAt(RECORDED_FROM.plusSeconds(5).toEpochMilli())).isEqualTo(positions.get(4));
            assertThat(index.positionKnownAt(RECORDED_FROM.plusSeconds(60).toEpochMilli())).isEqualTo(positions.get(5));
        }
    }

    @Test
    void theRecordedTimeIndexResumesFromItsFileAndAnswersTheSame() {
        Path file = directory.resolve("recorded-time.idx");
        RecordedTimeIndex first = new RecordedTimeIndex(store, file);
        while (first.catchUp() > 0) {
            // scan the whole log
        }
        List<Long> answers = new ArrayList<>();
        for (long s = -1; s <= batches; s += 7) {
            answers.add(first.positionKnownAt(RECORDED_FROM.plusSeconds(s).toEpochMilli()));
        }
        first.close();
        assertThat(file).isNotEmptyFile();

        RecordedTimeIndex resumed = new RecordedTimeIndex(store, file);
        List<Long> again = new ArrayList<>();
        for (long s = -1; s <= batches; s += 7) {
            again.add(resumed.positionKnownAt(RECORDED_FROM.plusSeconds(s).toEpochMilli()));
        }
        assertThat(again).isEqualTo(answers);
        assertThat(resumed.scannedUpTo()).isEqualTo(store.headPosition());
        resumed.close();
    }

    @Test
    void anUnreadableSnapshotIsSkippedAndAnOlderOneUsed() throws Exception {
        followWithTwoSegments();
        KnowledgeSnapshotStore.Entry newest = snapshots.entries(1).stream()
                .max(java.util.Comparator.comparingLong(KnowledgeSnapshotStore.Entry::position)).orElseThrow();
        Path file = directory.resolve("knowledge").resolve("v1").resolve("segment-" + newest.segmentId() + "-mask-"
                + newest.mask() + "-at-" + newest.position() + ".snap");
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x5a;
        java.nio.file.Files.write(file, bytes);

        try (PastKnowledge knowledge = knowledge(snapshots, null)) {
            long knownAt = RECORDED_FROM.plusSeconds(batches).toEpochMilli();
            PastKnowledge.Known known = knowledge.projection(1, knownAt, null);
            assertThat(bytesOf(known.projection())).isEqualTo(bytesOf(replay(known.position(), null)));
        }
        assertThat(file).doesNotExist();
    }
}
