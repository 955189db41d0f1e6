package pql.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.eventstore.AppendRequest;
import pql.eventstore.EventStore;
import pql.eventstore.ForwardingEventStore;
import pql.eventstore.EventStoreUnavailableException;
import pql.eventstore.ExpectedVersion;
import pql.eventstore.LogRecord;
import pql.eventstore.StoredEvent;
import pql.eventstore.StreamIds;
import pql.eventstore.StreamVersions;
import pql.eventstore.TestEvents;
import pql.eventstore.embedded.EmbeddedStoreOptions;
import pql.eventstore.embedded.RocksDbEventStore;
import pql.v1.EventEnvelope;

/**
 * The contract of one chunked stream over the real embedded store: every event after the start once,
 * in log order, in chunks of at most the chunk size (history read ahead in parallel, then live
 * events), the tracking token of each chunk at its last event; closing and read failures.
 */
class ChunkStreamTest {

    @TempDir
    Path directory;

    private RocksDbEventStore store;
    private final List<ChunkStream> opened = new ArrayList<>();

    @BeforeEach
    void open() {
        store = RocksDbEventStore.open(EmbeddedStoreOptions.defaults(directory));
    }

    @AfterEach
    void close() {
        opened.forEach(ChunkStream::close);
        store.close();
    }

    private ChunkStream stream(EventStore source, long after, int maxChunk, int readers) {
        ChunkStream stream = new ChunkStream(source, after, maxChunk, readers, "test", null);
        opened.add(stream);
        return stream;
    }

    /** {@code accounts} streams of {@code eventsEach} events, appended round by round (interleaved in the log). */
    private void append(int accounts, int eventsEach, String tag) {
        for (int round = 0; round < eventsEach; round++) {
            List<AppendRequest> requests = new ArrayList<>();
            for (int a = 0; a < accounts; a++) {
                String stream = StreamIds.forAccount("acct-" + a);
                requests.add(new AppendRequest(stream, ExpectedVersion.ANY,
                        List.of(TestEvents.action(tag + "-" + round, stream))));
            }
            store.append(requests);
        }
    }

    private static LogChunk chunkOf(TrackedEventMessage<?> message) {
        return (LogChunk) message.getPayload();
    }

    /** Takes chunks until {@code events} events came; fails if they do not within 30 s. */
    private static List<LogChunk> take(ChunkStream stream, int events) throws InterruptedException {
        List<LogChunk> chunks = new ArrayList<>();
        int taken = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (taken < events) {
            assertThat(System.nanoTime()).as("%d of %d events within 30 s", taken, events).isLessThan(deadline);
            if (stream.hasNextAvailable(100, TimeUnit.MILLISECONDS)) {
                TrackedEventMessage<?> message = stream.nextAvailable();
                LogChunk chunk = chunkOf(message);
                assertThat(EventLogMessageSource.positionOf(message.trackingToken())).isEqualTo(chunk.lastPosition());
                chunks.add(chunk);
                taken += chunk.size();
            }
        }
        return chunks;
    }

    private static List<Long> positions(List<LogChunk> chunks) {
        return chunks.stream().flatMap(chunk -> chunk.events().stream()).map(LogRecord::globalPosition).toList();
    }

    private List<Long> logPositionsAfter(long after) {
        List<Long> positions = new ArrayList<>();
        List<StoredEvent> page;
        do {
            page = store.readAll(after, 4096);
            for (StoredEvent event : page) {
                positions.add(event.globalPosition());
                after = event.globalPosition();
            }
        } while (!page.isEmpty());
        return positions;
    }

    @Test
    void aShortHistoryComesInLogOrderInChunksOfAtMostTheChunkSize() throws Exception {
        append(7, 10, "h");

        List<LogChunk> chunks = take(stream(store, StreamVersions.BEFORE_FIRST_POSITION, 16, 2), 70);

        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.size()).isBetween(1, 16));
        assertThat(positions(chunks)).containsExactlyElementsOf(logPositionsAfter(StreamVersions.BEFORE_FIRST_POSITION));
    }

    @Test
    void aLongHistoryReadAheadInParallelSlicesStillComesOnceInLogOrder() throws Exception {
        append(50, 300, "long");

        List<LogChunk> chunks = take(stream(store, StreamVersions.BEFORE_FIRST_POSITION, 500, 3), 15_000);

        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.size()).isBetween(1, 500));
        assertThat(positions(chunks)).containsExactlyElementsOf(logPositionsAfter(StreamVersions.BEFORE_FIRST_POSITION));
    }

    @Test
    void aStreamOpenedAfterAPositionStartsWithTheNextEvent() throws Exception {
        append(5, 10, "h");
        long after = store.readAll(StreamVersions.BEFORE_FIRST_POSITION, 20).get(19).globalPosition();

        List<LogChunk> chunks = take(stream(store, after, 8, 2), 30);

        assertThat(positions(chunks)).containsExactlyElementsOf(logPositionsAfter(after));
    }

    @Test
    void caughtUpItAnswersNothingAvailableThenDeliversEventsAppendedLater() throws Exception {
        append(3, 4, "h");
        ChunkStream stream = stream(store, StreamVersions.BEFORE_FIRST_POSITION, 100, 2);
        take(stream, 12);

        assertThat(stream.hasNextAvailable(50, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(stream.peek()).isEmpty();

        long head = store.headPosition();
        append(3, 2, "live");

        List<LogChunk> live = take(stream, 6);
        assertThat(positions(live)).containsExactlyElementsOf(logPositionsAfter(head));
        assertThat(stream.hasNextAvailable(50, TimeUnit.MILLISECONDS)).isFalse();
    }

    @Test
    void peekShowsTheNextChunkWithoutTakingIt() throws Exception {
        append(2, 3, "h");
        ChunkStream stream = stream(store, StreamVersions.BEFORE_FIRST_POSITION, 4, 1);

        TrackedEventMessage<?> peeked = stream.peek().orElseThrow();
        TrackedEventMessage<?> taken = stream.nextAvailable();

        assertThat(taken).isSameAs(peeked);
        assertThat(chunkOf(taken).size()).isEqualTo(4);
        assertThat(chunkOf(stream.nextAvailable()).size()).isEqualTo(2);
    }

    @Test
    void aCaughtUpStreamCallsBackOnceWhenEventsAreAppended() throws Exception {
        append(1, 2, "h");
        ChunkStream stream = stream(store, StreamVersions.BEFORE_FIRST_POSITION, 100, 1);
        CountDownLatch called = new CountDownLatch(1);
        stream.setOnAvailableCallback(called::countDown);
        take(stream, 2);
        assertThat(stream.hasNextAvailable(10, TimeUnit.MILLISECONDS)).as("arms the watcher").isFalse();

        append(1, 1, "live");

        assertThat(called.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(take(stream, 1)).hasSize(1);
    }

    @Test
    void aClosedStreamRefusesToBeReadAndHoldsNothing() throws Exception {
        append(2, 5, "h");
        ChunkStream stream = stream(store, StreamVersions.BEFORE_FIRST_POSITION, 2, 2);
        stream.nextAvailable();

        stream.close();

        assertThatThrownBy(() -> stream.hasNextAvailable(10, TimeUnit.MILLISECONDS))
                .isInstanceOf(IllegalStateException.class).hasMessage("stream closed");
        assertThatThrownBy(stream::nextAvailable).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aSliceThatCannotBeReadFailsTheStreamWithTheStoresErrorAndClosesIt() throws Exception {
        append(50, 250, "long");
        FailingReads failing = new FailingReads(store);
        ChunkStream stream = stream(failing, StreamVersions.BEFORE_FIRST_POSITION, 500, 2);
        failing.failReads = true;

        assertThatThrownBy(() -> stream.hasNextAvailable(1, TimeUnit.SECONDS))
                .isInstanceOf(EventStoreUnavailableException.class).hasMessage("the disk is gone");
        failing.failReads = false;
        assertThatThrownBy(() -> stream.hasNextAvailable(1, TimeUnit.SECONDS))
                .as("it cannot go on past a lost slice: Axon opens a new stream from its tokens")
                .isInstanceOf(IllegalStateException.class).hasMessage("stream closed");
    }

    @Test
    void aReadFailureWhileFollowingTheHeadReachesTheCaller() throws Exception {
        append(2, 2, "h");
        FailingReads failing = new FailingReads(store);
        ChunkStream stream = stream(failing, StreamVersions.BEFORE_FIRST_POSITION, 100, 1);
        take(stream, 4);
        append(1, 1, "live");
        failing.failReads = true;

        assertThatThrownBy(() -> stream.hasNextAvailable(1, TimeUnit.SECONDS))
                .isInstanceOf(EventStoreUnavailableException.class);

        failing.failReads = false;
        assertThat(take(stream, 1)).as("no slice was lost: the next look reads on").hasSize(1);
    }

    /** The real store, whose log reads fail while {@link #failReads} is set. */
    private static final class FailingReads extends ForwardingEventStore {
        volatile boolean failReads;

        FailingReads(EventStore delegate) {
            super(delegate);
        }

        @Override
        public List<StoredEvent> readAll(long afterPosition, int maxCount) {
            if (failReads) {
                throw new EventStoreUnavailableException("the disk is gone");
            }
            return delegate.readAll(afterPosition, maxCount);
        }

        /** The test closes the real store. */
        @Override
        public void close() {
        }
    }
}
