package pql.eventstore.kurrentdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pql.eventstore.AppendRequest;
import pql.eventstore.AppendResult;
import pql.eventstore.EventStoreOverloadedException;
import pql.eventstore.EventStoreUnavailableException;
import pql.eventstore.ExpectedVersion;
import pql.eventstore.LogCursor;
import pql.eventstore.StoredEvent;
import pql.eventstore.TestEvents;
import pql.eventstore.WrongExpectedVersionException;
import pql.eventstore.kurrentdb.server.InProcessKurrentDb;
import pql.v1.EventEnvelope;

/**
 * The server goes away and comes back: calls fail with EventStoreUnavailableException meanwhile
 * (the client gives up and closes itself for good), then the store works again on a fresh client,
 * and nothing is lost or stored twice.
 */
class KurrentDbOutageTest {

    private InProcessKurrentDb server;
    private KurrentDbEventStore store;

    @BeforeEach
    void start() {
        server = InProcessKurrentDb.start();
        store = KurrentDbEventStore.open(KurrentDbStoreOptions.of(server.connectionString())
                .withOperationTimeout(Duration.ofSeconds(5)));
    }

    @AfterEach
    void stop() {
        store.close();
        server.close();
    }

    private static List<EventEnvelope> events(String stream, String... ids) {
        List<EventEnvelope> events = new ArrayList<>();
        for (String id : ids) {
            events.add(TestEvents.action(id, stream));
        }
        return events;
    }

    @Test
    void everyCallFailsAsUnavailableWhileTheServerIsDownThenTheStoreRecoversOnAFreshClient() {
        String stream = TestEvents.uniqueStream("outage");
        store.append(stream, ExpectedVersion.NO_STREAM, events(stream, "e1"));
        assertThat(store.clientGenerations()).isEqualTo(1);

        server.stop();

        List<EventEnvelope> retried = events(stream, "e2", "e3");
        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.exactly(0), retried))
                .isInstanceOf(EventStoreUnavailableException.class);
        assertThatThrownBy(() -> store.readStream(stream, 0, 10)).isInstanceOf(EventStoreUnavailableException.class);
        assertThatThrownBy(() -> store.readAll(0, 10)).isInstanceOf(EventStoreUnavailableException.class);
        assertThatThrownBy(() -> store.streamVersion(stream)).isInstanceOf(EventStoreUnavailableException.class);
        assertThatThrownBy(() -> store.headPosition()).isInstanceOf(EventStoreUnavailableException.class);
        assertThat(store.isAvailable()).isFalse();

        server.restart();

        AppendResult retry = store.append(stream, ExpectedVersion.exactly(0), retried);
        assertThat(retry.appendedCount()).isEqualTo(2);
        assertThat(store.readStream(stream, 0, 10)).extracting(e -> e.envelope().getEventId()).containsExactly("e1", "e2", "e3");
        assertThat(store.isAvailable()).isTrue();
        assertThat(store.clientGenerations()).as("the client that gave up was replaced").isGreaterThan(1);
    }

    @Test
    void eventsAnotherWriterStoredMeanwhileAreDuplicatesOfARetry() {
        String stream = TestEvents.uniqueStream("lost-ack");
        store.append(stream, ExpectedVersion.NO_STREAM, events(stream, "e1"));
        // another process (or this one before a crash) stored e2 without this store hearing of it
        try (KurrentDbEventStore other = KurrentDbEventStore.open(KurrentDbStoreOptions.of(server.connectionString()))) {
            other.append(stream, ExpectedVersion.exactly(0), events(stream, "e2"));
        }

        AppendResult retry = store.append(stream, ExpectedVersion.ANY, events(stream, "e2", "e3"));

        assertThat(retry.conflict()).isFalse();
        assertThat(retry.events()).extracting(AppendResult.EventOutcome::duplicate).containsExactly(true, false);
        assertThat(retry.events()).extracting(AppendResult.EventOutcome::streamVersion).containsExactly(1L, 2L);
        assertThat(store.readStream(stream, 0, 10)).extracting(e -> e.envelope().getEventId()).containsExactly("e1", "e2", "e3");
    }

    @Test
    void aCallersExpectedVersionIsCheckedAgainstTheServerNotAStaleView() {
        String stream = TestEvents.uniqueStream("stale");
        store.append(stream, ExpectedVersion.NO_STREAM, events(stream, "e1"));
        try (KurrentDbEventStore other = KurrentDbEventStore.open(KurrentDbStoreOptions.of(server.connectionString()))) {
            other.append(stream, ExpectedVersion.exactly(0), events(stream, "e2"));
        }

        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.exactly(0), events(stream, "e3")))
                .isInstanceOfSatisfying(WrongExpectedVersionException.class, e -> assertThat(e.actualVersion()).isEqualTo(1));
        assertThat(store.append(stream, ExpectedVersion.exactly(1), events(stream, "e3")).streamVersion()).isEqualTo(2);
    }

    @Test
    void aStoreOpenedWhileTheServerIsDownWorksOnceItIsUp() {
        server.stop();
        String stream = TestEvents.uniqueStream("late");
        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.ANY, events(stream, "e1")))
                .isInstanceOf(EventStoreUnavailableException.class);

        server.restart();

        assertThat(store.append(stream, ExpectedVersion.ANY, events(stream, "e1")).appendedCount()).isEqualTo(1);
    }

    @Test
    void aCursorReportsTheOutageThenResumesWhereItWasWithoutGapsOrRepeats() throws Exception {
        String stream = TestEvents.uniqueStream("cursor-outage");
        AppendResult before = store.append(stream, ExpectedVersion.ANY, events(stream, "b1", "b2"));
        try (LogCursor cursor = store.openAll(before.events().get(0).globalPosition() - 1)) {
            assertThat(nextOf(cursor, stream).envelope().getEventId()).isEqualTo("b1");
            assertThat(nextOf(cursor, stream).envelope().getEventId()).isEqualTo("b2");

            server.stop();
            assertThatThrownBy(() -> drainUntilFailure(cursor)).isInstanceOf(EventStoreUnavailableException.class);

            server.restart();
            store.append(stream, ExpectedVersion.ANY, events(stream, "a1", "a2"));

            assertThat(nextOf(cursor, stream).envelope().getEventId()).isEqualTo("a1");
            assertThat(nextOf(cursor, stream).envelope().getEventId()).isEqualTo("a2");
            assertThat(cursor.hasNextAvailable(300, TimeUnit.MILLISECONDS)).isFalse();
        }
    }

    @Test
    void awaitAfterSeesAppendsAgainAfterARestart() throws Exception {
        String stream = TestEvents.uniqueStream("await-outage");
        long head = store.append(stream, ExpectedVersion.ANY, events(stream, "e1")).events().get(0).globalPosition();
        assertThat(store.awaitAfter(head, Duration.ofMillis(50))).isFalse();

        server.restart();
        store.append(stream, ExpectedVersion.ANY, events(stream, "e2"));

        assertThat(store.awaitAfter(head, Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void appendsBeyondThePendingLimitAreRefusedRatherThanQueued() {
        try (KurrentDbEventStore limited = KurrentDbEventStore.open(KurrentDbStoreOptions.of(server.connectionString())
                .withMaxPendingEvents(2))) {
            server.stop();
            String stream = TestEvents.uniqueStream("pending");
            // held while the client tries (and fails) to reach the server: several hundred ms
            CompletableFuture<List<AppendResult>> first = limited.appendAsync(
                    List.of(new AppendRequest(stream, ExpectedVersion.ANY, events(stream, "e1", "e2"))));

            assertThatThrownBy(() -> limited.append(stream, ExpectedVersion.ANY, events(stream, "e3")))
                    .isInstanceOf(EventStoreOverloadedException.class);
            assertThatThrownBy(first::join).hasCauseInstanceOf(EventStoreUnavailableException.class);

            server.restart();
            assertThat(limited.append(stream, ExpectedVersion.ANY, events(stream, "e1", "e2", "e3")).appendedCount())
                    .isEqualTo(3);
        }
    }

    /** Takes events until the cursor reports the outage (the test fails on a timeout instead). */
    private static void drainUntilFailure(LogCursor cursor) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (cursor.hasNextAvailable(100, TimeUnit.MILLISECONDS)) {
                cursor.nextAvailable();
            }
        }
    }

    private static StoredEvent nextOf(LogCursor cursor, String stream) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            try {
                if (cursor.hasNextAvailable(100, TimeUnit.MILLISECONDS)) {
                    StoredEvent next = cursor.nextAvailable();
                    if (next.streamId().equals(stream)) {
                        return next;
                    }
                }
            } catch (EventStoreUnavailableException stillDown) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("no event of " + stream + " within 15 s");
    }
}
