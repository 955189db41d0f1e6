package pql.processing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.eventstore.AppendRequest;
import pql.eventstore.AppendResult;
import pql.eventstore.EventStore;
import pql.eventstore.ExpectedVersion;
import pql.eventstore.LogRecord;
import pql.eventstore.StoredEvent;
import pql.eventstore.StreamIds;
import pql.eventstore.StreamVersions;
import pql.eventstore.TestEvents;
import pql.eventstore.embedded.EmbeddedStoreOptions;
import pql.eventstore.embedded.RocksDbEventStore;
import pql.v1.EventEnvelope;

/** Chunked processors over the real embedded store: parallel read-ahead, order, wake-up, skipping. */
class ChunkedProcessorsTest {

    @TempDir
    Path directory;

    private RocksDbEventStore store;
    private final List<ProjectionProcessor> processors = new ArrayList<>();

    @BeforeEach
    void open() {
        store = RocksDbEventStore.open(EmbeddedStoreOptions.defaults(directory));
    }

    @AfterEach
    void close() {
        processors.forEach(ProjectionProcessor::close);
        store.close();
    }

    /** Counts events per stream, checks stream order, remembers which segment saw each stream. */
    static final class CountingHandler implements SegmentChunkHandler {
        final Map<String, Long> lastVersion = new ConcurrentHashMap<>();
        final Map<String, Set<Integer>> segmentsPerStream = new ConcurrentHashMap<>();
        final Map<Integer, Long> positions = new ConcurrentHashMap<>();
        final AtomicInteger total = new AtomicInteger();
        volatile boolean outOfOrder;

        @Override
        public long appliedUpTo(Segment segment) {
            return positions.getOrDefault(segment.getSegmentId(), StreamVersions.BEFORE_FIRST_POSITION);
        }

        @Override
        public void handle(Segment segment, List<LogRecord> events, long upTo) {
            for (LogRecord event : events) {
                Long previous = lastVersion.put(event.streamId(), event.streamVersion());
                if ((previous == null && event.streamVersion() != 0)
                        || (previous != null && previous + 1 != event.streamVersion())) {
                    outOfOrder = true;
                }
                segmentsPerStream.computeIfAbsent(event.streamId(), k -> ConcurrentHashMap.newKeySet())
                        .add(segment.getSegmentId());
                total.incrementAndGet();
            }
            positions.merge(segment.getSegmentId(), upTo, Math::max);
        }

        @Override
        public void reset() {
            lastVersion.clear();
            positions.clear();
            total.set(0);
        }
    }

    private void appendAccounts(EventStore target, int accounts, int eventsEach, String tag) {
        List<AppendRequest> requests = new ArrayList<>();
        for (int a = 0; a < accounts; a++) {
            String stream = StreamIds.forAccount("acct-" + a);
            List<EventEnvelope> events = new ArrayList<>();
            for (int e = 0; e < eventsEach; e++) {
                events.add(TestEvents.action(tag + "-" + e, stream));
            }
            requests.add(new AppendRequest(stream, ExpectedVersion.ANY, events));
        }
        target.append(requests);
    }

    private ProjectionProcessor start(EventStore source, SegmentChunkHandler handler, int segments, int chunk,
            int readers) {
        ProjectionProcessor processor = ProjectionProcessors.chunked(
                new ProjectionProcessorSpec("chunked", segments, 4, new InMemoryTokenStore()),
                new ChunkedEventLogSource(source, chunk, readers, "test"), handler, ProjectionProcessors.Options.defaults());
        processor.start();
        processors.add(processor);
        return processor;
    }

    @Test
    void parallelReadAheadDeliversEveryEventOnceInOrderOnOneSegmentPerStream() throws Exception {
        for (int round = 0; round < 10; round++) {
            appendAccounts(store, 30, 40, "h" + round);
        }
        CountingHandler handler = new CountingHandler();
        start(store, handler, 3, 50, 2);

        await(() -> handler.total.get() == 12_000);
        assertThat(handler.outOfOrder).isFalse();
        assertThat(handler.lastVersion).hasSize(30).allSatisfy((stream, version) -> assertThat(version).isEqualTo(399));
        assertThat(handler.segmentsPerStream.values()).allSatisfy(segments -> assertThat(segments).hasSize(1));
        assertThat(handler.segmentsPerStream.values().stream().flatMap(Set::stream).distinct().count()).isEqualTo(3);

        // caught up: live appends are delivered (the watcher wakes the processor) and nothing is repeated
        appendAccounts(store, 30, 2, "live");
        await(() -> handler.total.get() == 12_060);
        Thread.sleep(200);
        assertThat(handler.total.get()).isEqualTo(12_060);
        assertThat(handler.outOfOrder).isFalse();
    }

    @Test
    void sparsePositionsAreReadCompletelyToo() throws Exception {
        EventStore sparse = new SparsePositions(store, 37);
        for (int round = 0; round < 5; round++) {
            appendAccounts(store, 20, 50, "s" + round);
        }
        CountingHandler handler = new CountingHandler();
        start(sparse, handler, 2, 64, 2);

        await(() -> handler.total.get() == 5_000);
        Thread.sleep(200);
        assertThat(handler.total.get()).isEqualTo(5_000);
        assertThat(handler.outOfOrder).isFalse();
    }

    @Test
    void eventsASegmentAlreadyHoldsAreNotHandedOverAgain() {
        appendAccounts(store, 8, 5, "x");
        List<LogRecord> all = store.readAllRecords(StreamVersions.BEFORE_FIRST_POSITION, 100);
        CountingHandler handler = new CountingHandler();
        Segment[] segments = Segment.ROOT_SEGMENT.split();
        long checkpoint = all.get(19).globalPosition();
        handler.positions.put(1, checkpoint);
        ChunkEventHandlerInvoker invoker = new ChunkEventHandlerInvoker(handler);

        var chunk = new GenericEventMessage<>(new LogChunk(all));
        invoker.handle(chunk, segments[0]);
        invoker.handle(chunk, segments[1]);

        long expected = all.stream().filter(e -> segments[0].matches(e.streamId())
                || (segments[1].matches(e.streamId()) && e.globalPosition() > checkpoint)).count();
        assertThat(handler.total.get()).isEqualTo(expected).isLessThan(all.size());
        assertThat(handler.positions).containsEntry(0, all.get(all.size() - 1).globalPosition())
                .containsEntry(1, all.get(all.size() - 1).globalPosition());
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 30 s");
            }
            Thread.sleep(20);
        }
    }

    /** The same log with positions {@code p * factor + 3}: gaps between events, as KurrentDB's byte offsets. */
    private static final class SparsePositions implements EventStore {
        private final EventStore log;
        private final long factor;

        SparsePositions(EventStore log, long factor) {
            this.log = log;
            this.factor = factor;
        }

        private long out(long position) {
            return position <= 0 ? position : position * factor + 3;
        }

        private long in(long position) {
            return position <= 0 ? position : (position - 3) / factor;
        }

        private StoredEvent map(StoredEvent event) {
            return new StoredEvent(event.streamId(), event.streamVersion(), out(event.globalPosition()),
                    event.envelope());
        }

        @Override
        public String engineName() {
            return "sparse";
        }

        @Override
        public CompletableFuture<List<AppendResult>> appendAsync(List<AppendRequest> requests) {
            return log.appendAsync(requests);
        }

        @Override
        public List<StoredEvent> readStream(String streamId, long fromVersion, int maxCount) {
            return log.readStream(streamId, fromVersion, maxCount).stream().map(this::map).toList();
        }

        @Override
        public long streamVersion(String streamId) {
            return log.streamVersion(streamId);
        }

        @Override
        public List<StoredEvent> readAll(long afterPosition, int maxCount) {
            return log.readAll(in(afterPosition), maxCount).stream().map(this::map).toList();
        }

        @Override
        public long headPosition() {
            return out(log.headPosition());
        }

        @Override
        public boolean awaitAfter(long afterPosition, Duration timeout) throws InterruptedException {
            return log.awaitAfter(in(afterPosition), timeout);
        }

        @Override
        public boolean isAvailable() {
            return log.isAvailable();
        }

        @Override
        public void close() {
        }
    }
}
