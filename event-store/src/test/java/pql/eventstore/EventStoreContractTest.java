package pql.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pql.v1.EventEnvelope;

/**
 * The semantics every event store engine must have. One subclass per engine; each test works on
 * streams of its own, and never assumes the global log is empty, so engines that share a server
 * across tests pass too.
 */
public abstract class EventStoreContractTest {

    protected EventStore store;

    /** A store ready to use (a fresh one, or a shared server's). */
    protected abstract EventStore createStore() throws Exception;

    /** Closes {@code store} and opens it again on the same data. */
    protected abstract EventStore reopen(EventStore store) throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = createStore();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    private static List<EventEnvelope> events(String streamId, String... ids) {
        List<EventEnvelope> events = new ArrayList<>();
        for (String id : ids) {
            events.add(TestEvents.action(id, streamId));
        }
        return events;
    }

    @Test
    void firstAppendCreatesTheStreamFromVersionZero() {
        String stream = TestEvents.uniqueStream("first");
        AppendResult result = store.append(stream, ExpectedVersion.NO_STREAM, events(stream, "e1", "e2", "e3"));

        assertThat(result.conflict()).isFalse();
        assertThat(result.streamVersion()).isEqualTo(2);
        assertThat(result.events()).extracting(AppendResult.EventOutcome::streamVersion).containsExactly(0L, 1L, 2L);
        assertThat(result.events()).extracting(AppendResult.EventOutcome::duplicate).containsOnly(false);
        List<Long> positions = result.events().stream().map(AppendResult.EventOutcome::globalPosition).toList();
        assertThat(positions).isSorted().doesNotHaveDuplicates();
        assertThat(positions.get(0)).isGreaterThan(StreamVersions.BEFORE_FIRST_POSITION);
        assertThat(store.streamVersion(stream)).isEqualTo(2);
    }

    @Test
    void storedEnvelopesComeBackByteForByte() {
        String stream = TestEvents.uniqueStream("roundtrip");
        List<EventEnvelope> sent = events(stream, "a", "b");
        store.append(stream, ExpectedVersion.ANY, sent);

        List<StoredEvent> read = store.readStream(stream, 0, 10);
        assertThat(read).extracting(StoredEvent::envelope).containsExactlyElementsOf(sent);
        assertThat(read.get(0).envelope().toByteString()).isEqualTo(sent.get(0).toByteString());
        assertThat(read).extracting(StoredEvent::streamId).containsOnly(stream);
        assertThat(read).extracting(StoredEvent::streamVersion).containsExactly(0L, 1L);
    }

    @Test
    void exactExpectedVersionAppendsWhenItHolds() {
        String stream = TestEvents.uniqueStream("exact");
        store.append(stream, ExpectedVersion.NO_STREAM, events(stream, "e1"));
        AppendResult result = store.append(stream, ExpectedVersion.exactly(0), events(stream, "e2"));
        assertThat(result.streamVersion()).isEqualTo(1);
    }

    @Test
    void wrongExpectedVersionStoresNothing() {
        String stream = TestEvents.uniqueStream("wrong");
        store.append(stream, ExpectedVersion.NO_STREAM, events(stream, "e1", "e2"));
        long head = store.headPosition();

        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.exactly(0), events(stream, "e3")))
                .isInstanceOfSatisfying(WrongExpectedVersionException.class, e -> {
                    assertThat(e.actualVersion()).isEqualTo(1);
                    assertThat(e.streamId()).isEqualTo(stream);
                });
        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.NO_STREAM, events(stream, "e4")))
                .isInstanceOf(WrongExpectedVersionException.class);
        assertThat(store.readStream(stream, 0, 10)).hasSize(2);
        assertThat(store.streamVersion(stream)).isEqualTo(1);
        assertThat(store.readAll(head, 100)).noneMatch(e -> e.streamId().equals(stream));
    }

    @Test
    void streamExistsAndNoStreamConditions() {
        String stream = TestEvents.uniqueStream("exists");
        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.STREAM_EXISTS, events(stream, "e1")))
                .isInstanceOfSatisfying(WrongExpectedVersionException.class,
                        e -> assertThat(e.actualVersion()).isEqualTo(StreamVersions.NONE));
        store.append(stream, ExpectedVersion.NO_STREAM, events(stream, "e1"));
        assertThat(store.append(stream, ExpectedVersion.STREAM_EXISTS, events(stream, "e2")).streamVersion()).isEqualTo(1);
        assertThat(store.append(stream, ExpectedVersion.ANY, events(stream, "e3")).streamVersion()).isEqualTo(2);
    }

    @Test
    void aDuplicateEventIdIsReportedAndNotStoredTwice() {
        String stream = TestEvents.uniqueStream("dup");
        AppendResult first = store.append(stream, ExpectedVersion.ANY, events(stream, "e1", "e2"));
        long head = store.headPosition();

        AppendResult again = store.append(stream, ExpectedVersion.ANY, events(stream, "e2", "e3"));

        assertThat(again.events().get(0).duplicate()).isTrue();
        assertThat(again.events().get(0).streamVersion()).isEqualTo(1);
        assertThat(again.events().get(0).globalPosition()).isEqualTo(first.events().get(1).globalPosition());
        assertThat(again.events().get(1).duplicate()).isFalse();
        assertThat(again.events().get(1).streamVersion()).isEqualTo(2);
        assertThat(store.readStream(stream, 0, 10)).extracting(e -> e.envelope().getEventId())
                .containsExactly("e1", "e2", "e3");
        assertThat(store.readAll(head, 100)).filteredOn(e -> e.streamId().equals(stream)).hasSize(1);
    }

    @Test
    void aRetriedAppendIsANoOpWhateverItsExpectedVersion() {
        String stream = TestEvents.uniqueStream("retry");
        List<EventEnvelope> batch = events(stream, "e1", "e2");
        store.append(stream, ExpectedVersion.NO_STREAM, batch);
        long head = store.headPosition();

        AppendResult retry = store.append(stream, ExpectedVersion.NO_STREAM, batch);

        assertThat(retry.conflict()).isFalse();
        assertThat(retry.appendedCount()).isZero();
        assertThat(retry.events()).extracting(AppendResult.EventOutcome::duplicate).containsOnly(true);
        assertThat(retry.streamVersion()).isEqualTo(1);
        assertThat(store.readAll(head, 100)).noneMatch(e -> e.streamId().equals(stream));
    }

    @Test
    void aRepeatedIdInsideOneAppendIsStoredOnce() {
        String stream = TestEvents.uniqueStream("repeat");
        AppendResult result = store.append(stream, ExpectedVersion.ANY, events(stream, "x", "y", "x"));

        assertThat(result.events()).extracting(AppendResult.EventOutcome::duplicate).containsExactly(false, false, true);
        assertThat(result.events().get(2).globalPosition()).isEqualTo(result.events().get(0).globalPosition());
        assertThat(store.readStream(stream, 0, 10)).hasSize(2);
    }

    @Test
    void theSameEventRecordedAgainLaterIsStillADuplicate() {
        String stream = TestEvents.uniqueStream("again");
        EventEnvelope original = TestEvents.action("e1", stream);
        AppendResult first = store.append(stream, ExpectedVersion.ANY, List.of(original));
        // a retry through another call: recorded later, in another trace, under a later schema revision
        EventEnvelope retried = original.toBuilder()
                .setRecordedAt(original.getRecordedAt().toBuilder().setSeconds(original.getRecordedAt().getSeconds() + 60))
                .clearTraceContext()
                .setSchemaRevision(2)
                .build();

        AppendResult again = store.append(stream, ExpectedVersion.ANY, List.of(retried));

        assertThat(again.events().get(0).duplicate()).isTrue();
        assertThat(again.events().get(0).globalPosition()).isEqualTo(first.events().get(0).globalPosition());
    }

    @Test
    void anEventIdSentAgainWithOtherContentIsNotADuplicateAndTheStoredEventStays() {
        String stream = TestEvents.uniqueStream("reuse");
        EventEnvelope original = TestEvents.action("e1", stream);
        AppendResult first = store.append(stream, ExpectedVersion.ANY, List.of(original, TestEvents.action("e2", stream)));
        long head = store.headPosition();
        EventEnvelope otherContent = TestEvents.action("e1", StreamIds.accountIdOf(stream), "dashboard_shared");

        AppendResult result = store.append(stream, ExpectedVersion.ANY, List.of(otherContent, TestEvents.action("e3", stream)));

        assertThat(result.conflict()).isFalse();
        AppendResult.EventOutcome reused = result.events().get(0);
        assertThat(reused.duplicate()).as("other content under a known id is no retry").isFalse();
        assertThat(reused.disposition()).isEqualTo(AppendResult.Disposition.ID_REUSED);
        assertThat(reused.streamVersion()).as("the stored event's place").isZero();
        assertThat(reused.globalPosition()).isEqualTo(first.events().get(0).globalPosition());
        assertThat(result.events().get(1).streamVersion()).isEqualTo(2);
        assertThat(result.appendedCount()).isEqualTo(1);
        assertThat(store.readStream(stream, 0, 10)).extracting(StoredEvent::envelope)
                .containsExactly(original, TestEvents.action("e2", stream), TestEvents.action("e3", stream));
        assertThat(store.readAll(head, 100)).filteredOn(e -> e.streamId().equals(stream)).hasSize(1);
    }

    @Test
    void anIdRepeatedWithOtherContentInsideOneAppendKeepsTheFirst() {
        String stream = TestEvents.uniqueStream("reuse-in-append");
        String account = StreamIds.accountIdOf(stream);

        AppendResult result = store.append(stream, ExpectedVersion.ANY, List.of(TestEvents.action("x", account, "a"),
                TestEvents.action("y", account, "a"), TestEvents.action("x", account, "b"), TestEvents.action("x", account, "a")));

        assertThat(result.events()).extracting(AppendResult.EventOutcome::disposition).containsExactly(
                AppendResult.Disposition.APPENDED, AppendResult.Disposition.APPENDED, AppendResult.Disposition.ID_REUSED,
                AppendResult.Disposition.DUPLICATE);
        assertThat(result.appendedCount()).isEqualTo(2);
        assertThat(result.events().get(2).globalPosition()).isEqualTo(result.events().get(0).globalPosition());
        assertThat(store.readStream(stream, 0, 10)).extracting(StoredEvent::envelope)
                .containsExactly(TestEvents.action("x", account, "a"), TestEvents.action("y", account, "a"));
    }

    @Test
    void eventIdsAreScopedToTheirStream() {
        String one = TestEvents.uniqueStream("scope");
        String two = TestEvents.uniqueStream("scope");
        store.append(one, ExpectedVersion.ANY, events(one, "same"));
        AppendResult other = store.append(two, ExpectedVersion.ANY, events(two, "same"));
        assertThat(other.events().get(0).duplicate()).isFalse();
        assertThat(store.readStream(two, 0, 10)).hasSize(1);
    }

    @Test
    void readStreamPagesFromAVersion() {
        String stream = TestEvents.uniqueStream("page");
        store.append(stream, ExpectedVersion.ANY, events(stream, IntStream.range(0, 10).mapToObj(i -> "e" + i).toArray(String[]::new)));

        assertThat(store.readStream(stream, 3, 4)).extracting(StoredEvent::streamVersion).containsExactly(3L, 4L, 5L, 6L);
        assertThat(store.readStream(stream, 8, 100)).extracting(StoredEvent::streamVersion).containsExactly(8L, 9L);
        assertThat(store.readStream(stream, 10, 100)).isEmpty();
        assertThat(store.readStream(TestEvents.uniqueStream("missing"), 0, 10)).isEmpty();
        assertThat(store.streamVersion(TestEvents.uniqueStream("missing"))).isEqualTo(StreamVersions.NONE);
    }

    @Test
    void readStreamPagesAcrossAppendsInterleavedWithOtherStreams() {
        String stream = TestEvents.uniqueStream("acct-1");
        String longerName = stream + "0";
        for (int append = 0; append < 4; append++) {
            int first = append * 3;
            store.append(stream, ExpectedVersion.ANY, events(stream, "e" + first, "e" + (first + 1), "e" + (first + 2)));
            store.append(longerName, ExpectedVersion.ANY, events(longerName, "x" + append));
        }
        // a retry mixing old and new ids: only the new ones get versions, still consecutive
        store.append(stream, ExpectedVersion.ANY, events(stream, "e0", "e100", "e3", "e101"));

        assertThat(store.readStream(stream, 0, 100)).extracting(StoredEvent::streamVersion)
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L);
        assertThat(store.readStream(stream, 4, 5)).extracting(e -> e.envelope().getEventId())
                .containsExactly("e4", "e5", "e6", "e7", "e8");
        assertThat(store.readStream(stream, 11, 100)).extracting(e -> e.envelope().getEventId())
                .containsExactly("e11", "e100", "e101");
        assertThat(store.readStream(longerName, 2, 100)).extracting(e -> e.envelope().getEventId())
                .containsExactly("x2", "x3");
        List<StoredEvent> all = store.readStream(stream, 0, 100);
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i).globalPosition()).isGreaterThan(all.get(i - 1).globalPosition());
        }
    }

    @Test
    void theGlobalLogKeepsAppendOrderAcrossStreams() {
        String a = TestEvents.uniqueStream("order-a");
        String b = TestEvents.uniqueStream("order-b");
        long head = store.headPosition();
        store.append(a, ExpectedVersion.ANY, events(a, "a1"));
        store.append(b, ExpectedVersion.ANY, events(b, "b1", "b2"));
        store.append(a, ExpectedVersion.ANY, events(a, "a2"));

        List<StoredEvent> mine = store.readAll(head, 1000).stream()
                .filter(e -> e.streamId().equals(a) || e.streamId().equals(b)).toList();
        assertThat(mine).extracting(e -> e.envelope().getEventId()).containsExactly("a1", "b1", "b2", "a2");
        assertThat(mine).extracting(StoredEvent::globalPosition).isSorted().doesNotHaveDuplicates();
        assertThat(store.headPosition()).isEqualTo(mine.get(3).globalPosition());
    }

    @Test
    void readAllPagesFromAnyPosition() {
        String stream = TestEvents.uniqueStream("all");
        AppendResult result = store.append(stream, ExpectedVersion.ANY,
                events(stream, IntStream.range(0, 25).mapToObj(i -> "e" + i).toArray(String[]::new)));
        long start = result.events().get(0).globalPosition();
        long tenth = result.events().get(9).globalPosition();

        List<StoredEvent> fromTenth = store.readAll(tenth, 5);
        assertThat(fromTenth).extracting(e -> e.envelope().getEventId()).containsExactly("e10", "e11", "e12", "e13", "e14");

        List<String> paged = new ArrayList<>();
        long after = start - 1;
        while (paged.size() < 25) {
            List<StoredEvent> page = store.readAll(after, 7);
            assertThat(page).isNotEmpty().hasSizeLessThanOrEqualTo(7);
            page.stream().filter(e -> e.streamId().equals(stream)).forEach(e -> paged.add(e.envelope().getEventId()));
            after = page.get(page.size() - 1).globalPosition();
        }
        assertThat(paged).containsExactlyElementsOf(IntStream.range(0, 25).mapToObj(i -> "e" + i).toList());
        assertThat(store.readAll(store.headPosition(), 10)).isEmpty();
    }

    @Test
    void logRecordsHoldWhatReadAllReturns() {
        String ascii = TestEvents.uniqueStream("records");
        String accented = TestEvents.uniqueStream("récords-zoë");
        // larger than the embedded engine's read arrays: a record that starts an array of its own
        EventEnvelope large = TestEvents.action("big", ascii).toBuilder()
                .setPayload(com.google.protobuf.ByteString.copyFrom(new byte[100_000])).build();
        long head = store.headPosition();
        store.append(ascii, ExpectedVersion.ANY, events(ascii, "a0", "a1"));
        store.append(accented, ExpectedVersion.ANY, events(accented, "b0"));
        store.append(ascii, ExpectedVersion.ANY, List.of(large, TestEvents.action("a3", ascii)));

        List<StoredEvent> events = store.readAll(head, 100);
        List<LogRecord> records = store.readAllRecords(head, 100);
        assertThat(records).hasSameSizeAs(events);
        for (int i = 0; i < events.size(); i++) {
            StoredEvent event = events.get(i);
            LogRecord record = records.get(i);
            assertThat(record.globalPosition()).isEqualTo(event.globalPosition());
            assertThat(record.streamVersion()).isEqualTo(event.streamVersion());
            assertThat(record.streamId()).isEqualTo(event.streamId());
            assertThat(record.streamHash()).isEqualTo(event.streamId().hashCode());
            assertThat(record.streamStartsWith("account-records")).isEqualTo(event.streamId().startsWith("account-records"));
            assertThat(record.envelope()).isEqualTo(event.envelope());
            assertThat(record.toStoredEvent()).isEqualTo(event);
        }
        assertThat(records).extracting(LogRecord::streamId).contains(ascii, accented);
        assertThat(store.readAllRecords(records.get(1).globalPosition(), 2)).extracting(LogRecord::globalPosition)
                .containsExactly(records.get(2).globalPosition(), records.get(3).globalPosition());
        assertThat(store.readAllRecords(store.headPosition(), 10)).isEmpty();
    }

    @Test
    void oneCallAppendsToManyStreamsWithIndependentResults() {
        String a = TestEvents.uniqueStream("multi-a");
        String b = TestEvents.uniqueStream("multi-b");
        store.append(b, ExpectedVersion.ANY, events(b, "b0"));

        List<AppendResult> results = store.append(List.of(
                new AppendRequest(a, ExpectedVersion.NO_STREAM, events(a, "a0", "a1")),
                new AppendRequest(b, ExpectedVersion.NO_STREAM, events(b, "b1")),
                new AppendRequest(a, ExpectedVersion.exactly(1), events(a, "a2"))));

        assertThat(results).extracting(AppendResult::streamId).containsExactly(a, b, a);
        assertThat(results.get(0).conflict()).isFalse();
        assertThat(results.get(1).conflict()).isTrue();
        assertThat(results.get(1).streamVersion()).isZero();
        assertThat(results.get(2).conflict()).isFalse();
        assertThat(results.get(2).streamVersion()).isEqualTo(2);
        assertThat(store.readStream(a, 0, 10)).extracting(e -> e.envelope().getEventId()).containsExactly("a0", "a1", "a2");
        assertThat(store.readStream(b, 0, 10)).extracting(e -> e.envelope().getEventId()).containsExactly("b0");
    }

    @Test
    void awaitAfterWakesUpOnAnAppendAndTimesOutOtherwise() throws Exception {
        long head = store.headPosition();
        assertThat(store.awaitAfter(head, Duration.ofMillis(50))).isFalse();

        String stream = TestEvents.uniqueStream("await");
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<Boolean> waiter = executor.submit(() -> store.awaitAfter(head, Duration.ofSeconds(10)));
            Thread.sleep(50);
            store.append(stream, ExpectedVersion.ANY, events(stream, "e1"));
            assertThat(waiter.get(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void aCursorCatchesUpThenFollowsLiveAppends() throws Exception {
        String stream = TestEvents.uniqueStream("cursor");
        AppendResult history = store.append(stream, ExpectedVersion.ANY, events(stream, "h1", "h2"));
        long before = history.events().get(0).globalPosition() - 1;

        try (LogCursor cursor = store.openAll(before)) {
            assertThat(nextOf(cursor, stream).envelope().getEventId()).isEqualTo("h1");
            assertThat(nextOf(cursor, stream).envelope().getEventId()).isEqualTo("h2");

            Thread appender = new Thread(() -> {
                sleepQuietly(100);
                store.append(stream, ExpectedVersion.ANY, events(stream, "live"));
            });
            appender.start();
            StoredEvent live = nextOf(cursor, stream);
            assertThat(live.envelope().getEventId()).isEqualTo("live");
            assertThat(cursor.position()).isEqualTo(live.globalPosition());
            appender.join();
        }
    }

    @Test
    void aCursorStartsAfterTheGivenPosition() throws Exception {
        String stream = TestEvents.uniqueStream("cursor-mid");
        AppendResult result = store.append(stream, ExpectedVersion.ANY, events(stream, "e0", "e1", "e2"));
        try (LogCursor cursor = store.openAll(result.events().get(1).globalPosition())) {
            assertThat(cursor.hasNextAvailable(5, TimeUnit.SECONDS)).isTrue();
            assertThat(cursor.peek()).hasValueSatisfying(e -> assertThat(e.envelope().getEventId()).isEqualTo("e2"));
            assertThat(nextOf(cursor, stream).envelope().getEventId()).isEqualTo("e2");
        }
    }

    @Test
    void concurrentWritersKeepEveryStreamContiguousAndTheLogOrdered() throws Exception {
        int writers = 4;
        int appendsPerWriter = 50;
        String shared = TestEvents.uniqueStream("shared");
        List<String> own = IntStream.range(0, writers).mapToObj(i -> TestEvents.uniqueStream("own" + i)).toList();
        long head = store.headPosition();
        ExecutorService executor = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                futures.add(executor.submit(() -> {
                    for (int i = 0; i < appendsPerWriter; i++) {
                        store.append(List.of(
                                new AppendRequest(shared, ExpectedVersion.ANY, events(shared, "w" + writer + "-" + i)),
                                new AppendRequest(own.get(writer), ExpectedVersion.ANY,
                                        events(own.get(writer), "a" + i, "b" + i))));
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            executor.shutdownNow();
        }

        assertThat(store.streamVersion(shared)).isEqualTo(writers * appendsPerWriter - 1);
        assertThat(store.readStream(shared, 0, 10_000)).extracting(StoredEvent::streamVersion)
                .containsExactlyElementsOf(IntStream.range(0, writers * appendsPerWriter).mapToObj(i -> (long) i).toList());
        List<StoredEvent> log = readAllFrom(head);
        assertThat(log).extracting(StoredEvent::globalPosition).isSorted().doesNotHaveDuplicates();
        Map<String, Long> lastVersion = new HashMap<>();
        for (StoredEvent event : log) {
            long expected = lastVersion.getOrDefault(event.streamId(), -1L) + 1;
            assertThat(event.streamVersion()).as("log order matches stream order for %s", event.streamId()).isEqualTo(expected);
            lastVersion.put(event.streamId(), event.streamVersion());
        }
        for (String stream : own) {
            assertThat(store.streamVersion(stream)).isEqualTo(2L * appendsPerWriter - 1);
        }
    }

    @Test
    void optimisticWritersOnOneStreamNeverBothWinTheSameVersion() throws Exception {
        String stream = TestEvents.uniqueStream("race");
        store.append(stream, ExpectedVersion.NO_STREAM, events(stream, "seed"));
        int contenders = 4;
        int rounds = 20;
        AtomicInteger wins = new AtomicInteger();
        Set<Long> wonVersions = ConcurrentHashMap.newKeySet();
        ExecutorService executor = Executors.newFixedThreadPool(contenders);
        try {
            for (int round = 0; round < rounds; round++) {
                long expected = store.streamVersion(stream);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> futures = new ArrayList<>();
                for (int c = 0; c < contenders; c++) {
                    String id = "r" + round + "-c" + c;
                    futures.add(executor.submit(() -> {
                        go.await();
                        try {
                            AppendResult result = store.append(stream, ExpectedVersion.exactly(expected), events(stream, id));
                            wins.incrementAndGet();
                            assertThat(wonVersions.add(result.streamVersion())).isTrue();
                        } catch (WrongExpectedVersionException lost) {
                            assertThat(lost.actualVersion()).isEqualTo(expected + 1);
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> future : futures) {
                    future.get(30, TimeUnit.SECONDS);
                }
            }
        } finally {
            executor.shutdownNow();
        }
        assertThat(wins.get()).isEqualTo(rounds);
        assertThat(store.streamVersion(stream)).isEqualTo(rounds);
    }

    @Test
    void eventsSurviveAReopen() throws Exception {
        String stream = TestEvents.uniqueStream("durable");
        AppendResult result = store.append(stream, ExpectedVersion.ANY, events(stream, "e1", "e2"));
        long head = store.headPosition();

        store = reopen(store);

        assertThat(store.readStream(stream, 0, 10)).extracting(e -> e.envelope().getEventId()).containsExactly("e1", "e2");
        assertThat(store.streamVersion(stream)).isEqualTo(1);
        assertThat(store.headPosition()).isGreaterThanOrEqualTo(head);
        AppendResult retry = store.append(stream, ExpectedVersion.ANY, events(stream, "e2", "e3"));
        assertThat(retry.events().get(0).duplicate()).isTrue();
        assertThat(retry.events().get(0).globalPosition()).isEqualTo(result.events().get(1).globalPosition());
        assertThat(retry.events().get(1).globalPosition()).isGreaterThan(head);
        assertThat(retry.events().get(1).streamVersion()).isEqualTo(2);
        assertThat(store.isAvailable()).isTrue();

        // a stream untouched since the reopen: its version is known without having been appended to
        String other = TestEvents.uniqueStream("durable-other");
        store.append(other, ExpectedVersion.ANY, events(other, "o1", "o2", "o3"));
        store = reopen(store);
        assertThat(store.streamVersion(other)).isEqualTo(2);
        assertThatThrownBy(() -> store.append(other, ExpectedVersion.exactly(1), events(other, "o4")))
                .isInstanceOf(WrongExpectedVersionException.class);
        assertThat(store.append(other, ExpectedVersion.exactly(2), events(other, "o4")).events().get(0).streamVersion()).isEqualTo(3);
    }

    @Test
    void badRequestsAreRefusedBeforeTouchingTheStore() {
        assertThatThrownBy(() -> new AppendRequest("", ExpectedVersion.ANY, events("x", "e")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AppendRequest("$system", ExpectedVersion.ANY, events("x", "e")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AppendRequest("s", ExpectedVersion.ANY, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AppendRequest("s", ExpectedVersion.ANY,
                List.of(EventEnvelope.newBuilder().setType("t").build())))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.readAll(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private List<StoredEvent> readAllFrom(long after) {
        List<StoredEvent> all = new ArrayList<>();
        List<StoredEvent> page;
        while (!(page = store.readAll(after, 500)).isEmpty()) {
            all.addAll(page);
            after = page.get(page.size() - 1).globalPosition();
        }
        return all;
    }

    /** The next event of {@code stream} (other tests' events may share a server's log). */
    private static StoredEvent nextOf(LogCursor cursor, String stream) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (cursor.hasNextAvailable(100, TimeUnit.MILLISECONDS)) {
                StoredEvent next = cursor.nextAvailable();
                if (next.streamId().equals(stream)) {
                    return next;
                }
            }
        }
        throw new AssertionError("no event of " + stream + " within 10 s");
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
