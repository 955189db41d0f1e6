package pql.processing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.eventstore.AppendRequest;
import pql.eventstore.ExpectedVersion;
import pql.eventstore.StoredEvent;
import pql.eventstore.StreamIds;
import pql.eventstore.TestEvents;
import pql.eventstore.embedded.EmbeddedStoreOptions;
import pql.eventstore.embedded.RocksDbEventStore;
import pql.v1.EventEnvelope;

class ProjectionProcessorsTest {

    @TempDir
    Path directory;

    private RocksDbEventStore store;
    private final InMemoryTokenStore tokens = new InMemoryTokenStore();
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

    /** Counts events per stream and remembers which thread (segment worker) saw each stream. */
    static final class CountingProjection {
        final Map<String, Integer> counts = new ConcurrentHashMap<>();
        final Map<String, Set<String>> threadsPerStream = new ConcurrentHashMap<>();
        final Map<String, Long> lastVersion = new ConcurrentHashMap<>();
        volatile boolean outOfOrder;
        volatile int resets;

        @EventHandler
        void on(StoredEvent event) {
            counts.merge(event.streamId(), 1, Integer::sum);
            threadsPerStream.computeIfAbsent(event.streamId(), k -> ConcurrentHashMap.newKeySet())
                    .add(Thread.currentThread().getName());
            Long previous = lastVersion.put(event.streamId(), event.streamVersion());
            if (previous != null && previous + 1 != event.streamVersion()) {
                outOfOrder = true;
            }
        }

        @ResetHandler
        void reset() {
            counts.clear();
            lastVersion.clear();
            resets++;
        }

        int total() {
            return counts.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private void appendAccounts(int accounts, int eventsEach, String tag) {
        List<AppendRequest> requests = new ArrayList<>();
        for (int a = 0; a < accounts; a++) {
            String stream = StreamIds.forAccount("acct-" + a);
            List<EventEnvelope> events = new ArrayList<>();
            for (int e = 0; e < eventsEach; e++) {
                events.add(TestEvents.action(tag + "-" + e, stream));
            }
            requests.add(new AppendRequest(stream, ExpectedVersion.ANY, events));
        }
        store.append(requests);
    }

    private ProjectionProcessor start(CountingProjection projection, int segments) {
        ProjectionProcessor processor = ProjectionProcessors.pooled(
                new ProjectionProcessorSpec("counting", segments, 100, tokens),
                new EventLogMessageSource(store), List.of(projection));
        processor.start();
        processors.add(processor);
        return processor;
    }

    @Test
    void segmentsShareTheAccountsAndEachAccountStaysInOrderOnOneSegment() throws Exception {
        appendAccounts(40, 25, "h");
        CountingProjection projection = new CountingProjection();
        start(projection, 2);

        await(() -> projection.total() == 1000);
        assertThat(projection.counts).hasSize(40).allSatisfy((stream, count) -> assertThat(count).isEqualTo(25));
        assertThat(projection.outOfOrder).isFalse();
        assertThat(projection.threadsPerStream.values().stream().flatMap(Set::stream).distinct().count())
                .as("both segments worked").isGreaterThanOrEqualTo(2);
    }

    @Test
    void liveEventsFollowTheHistory() throws Exception {
        appendAccounts(5, 10, "h");
        CountingProjection projection = new CountingProjection();
        start(projection, 2);
        await(() -> projection.total() == 50);

        appendAccounts(5, 3, "live");
        await(() -> projection.total() == 65);
        assertThat(projection.outOfOrder).isFalse();
    }

    @Test
    void resettingTokensReplaysTheWholeHistoryOnce() throws Exception {
        appendAccounts(10, 10, "h");
        CountingProjection projection = new CountingProjection();
        ProjectionProcessor processor = start(projection, 2);
        await(() -> projection.total() == 100);

        processor.shutDown();
        processor.processor().resetTokens();
        processor.start();

        await(() -> projection.resets == 1 && projection.total() == 100);
        Thread.sleep(300);
        assertThat(projection.total()).as("replay never double counts").isEqualTo(100);
    }

    @Test
    void aRestartedProcessorResumesFromItsTokensWithoutDoubleCounting() throws Exception {
        appendAccounts(10, 10, "h");
        CountingProjection first = new CountingProjection();
        ProjectionProcessor processor = start(first, 2);
        await(() -> first.total() == 100);
        processor.shutDown();

        appendAccounts(10, 2, "after");
        CountingProjection second = new CountingProjection();
        start(second, 2);
        await(() -> second.total() == 20);
        Thread.sleep(300);
        assertThat(second.total()).isEqualTo(20);
    }

    @Test
    void headAndTailTokens() {
        appendAccounts(2, 3, "h");
        EventLogMessageSource source = new EventLogMessageSource(store);
        assertThat(source.createTailToken()).isNull();
        assertThat(EventLogMessageSource.positionOf(source.createHeadToken())).isEqualTo(store.headPosition());
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.sleep(20);
        }
    }

}
