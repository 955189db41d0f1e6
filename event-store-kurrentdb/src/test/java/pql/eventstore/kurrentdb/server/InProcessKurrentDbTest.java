package pql.eventstore.kurrentdb.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kurrent.dbclient.AppendToStreamOptions;
import io.kurrent.dbclient.EventData;
import io.kurrent.dbclient.EventDataBuilder;
import io.kurrent.dbclient.KurrentDBClient;
import io.kurrent.dbclient.KurrentDBConnectionString;
import io.kurrent.dbclient.Position;
import io.kurrent.dbclient.ReadAllOptions;
import io.kurrent.dbclient.ReadStreamOptions;
import io.kurrent.dbclient.RecordedEvent;
import io.kurrent.dbclient.ResolvedEvent;
import io.kurrent.dbclient.ServerVersion;
import io.kurrent.dbclient.StreamNotFoundException;
import io.kurrent.dbclient.StreamState;
import io.kurrent.dbclient.SubscribeToAllOptions;
import io.kurrent.dbclient.Subscription;
import io.kurrent.dbclient.SubscriptionListener;
import io.kurrent.dbclient.WriteResult;
import io.kurrent.dbclient.WrongExpectedVersionException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The in-process server seen through the official client, the way the KurrentDB engine sees it:
 * what it answers must be what a real server answers, or the engine's tests prove nothing.
 */
class InProcessKurrentDbTest {

    private static InProcessKurrentDb server;
    private KurrentDBClient client;

    @BeforeAll
    static void startServer() {
        server = InProcessKurrentDb.start(Duration.ofMillis(100));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void connect() {
        client = KurrentDBClient.create(KurrentDBConnectionString.parseOrThrow(server.connectionString()));
    }

    @AfterEach
    void disconnect() throws Exception {
        client.shutdown().get(5, TimeUnit.SECONDS);
    }

    private static String stream() {
        return "test-" + UUID.randomUUID();
    }

    private static EventData event(String type) {
        return EventDataBuilder.binary(UUID.randomUUID(), type, "data".getBytes(StandardCharsets.UTF_8))
                .metadataAsBytes(new byte[] {1, 2, 3})
                .build();
    }

    private WriteResult append(String stream, StreamState expected, EventData... events) throws Exception {
        return client.appendToStream(stream, AppendToStreamOptions.get().streamState(expected), events).get(5, TimeUnit.SECONDS);
    }

    private List<RecordedEvent> readStream(String stream) throws Exception {
        return client.readStream(stream, ReadStreamOptions.get().fromStart()).get(5, TimeUnit.SECONDS).getEvents().stream()
                .map(ResolvedEvent::getOriginalEvent).toList();
    }

    private static Throwable causeOf(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof ExecutionException || cause.getClass() == RuntimeException.class) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    @Test
    void revisionsCountFromZeroAndTheAppendAnswersTheLastOne() throws Exception {
        String stream = stream();
        WriteResult first = append(stream, StreamState.noStream(), event("a"), event("b"));
        WriteResult second = append(stream, StreamState.streamRevision(1), event("c"));

        assertThat(first.getNextExpectedRevision()).isEqualTo(StreamState.streamRevision(1));
        assertThat(second.getNextExpectedRevision()).isEqualTo(StreamState.streamRevision(2));
        assertThat(second.getLogPosition().getCommitUnsigned()).isGreaterThan(first.getLogPosition().getCommitUnsigned());
        assertThat(readStream(stream)).extracting(RecordedEvent::getRevision).containsExactly(0L, 1L, 2L);
    }

    @Test
    void aWrongExpectedVersionTellsTheActualRevision() throws Exception {
        String stream = stream();
        append(stream, StreamState.any(), event("a"), event("b"));

        assertThatThrownBy(() -> append(stream, StreamState.streamRevision(0), event("c")))
                .satisfies(e -> assertThat(causeOf(e)).isInstanceOfSatisfying(WrongExpectedVersionException.class, wrong -> {
                    assertThat(wrong.getActualState()).isEqualTo(StreamState.streamRevision(1));
                    assertThat(wrong.getExpectedState()).isEqualTo(StreamState.streamRevision(0));
                    assertThat(wrong.getStreamName()).isEqualTo(stream);
                }));
        assertThatThrownBy(() -> append(stream, StreamState.noStream(), event("d")))
                .satisfies(e -> assertThat(causeOf(e)).isInstanceOf(WrongExpectedVersionException.class));
        assertThatThrownBy(() -> append(stream(), StreamState.streamExists(), event("e")))
                .satisfies(e -> assertThat(causeOf(e)).isInstanceOfSatisfying(WrongExpectedVersionException.class,
                        wrong -> assertThat(wrong.getActualState()).isEqualTo(StreamState.noStream())));
        assertThat(readStream(stream)).hasSize(2);
    }

    @Test
    void aRepeatedWriteAtTheSameRevisionIsIdempotentAsOnTheRealServer() throws Exception {
        String stream = stream();
        EventData a = event("a");
        EventData b = event("b");
        WriteResult first = append(stream, StreamState.noStream(), a, b);

        WriteResult again = append(stream, StreamState.noStream(), a, b);

        assertThat(again.getNextExpectedRevision()).isEqualTo(StreamState.streamRevision(1));
        assertThat(again.getLogPosition()).isEqualTo(first.getLogPosition());
        assertThat(readStream(stream)).hasSize(2);
        assertThatThrownBy(() -> append(stream, StreamState.noStream(), a, event("new")))
                .satisfies(e -> assertThat(causeOf(e)).isInstanceOf(WrongExpectedVersionException.class));
    }

    @Test
    void readingAMissingStreamIsStreamNotFound() {
        assertThatThrownBy(() -> readStream(stream()))
                .satisfies(e -> assertThat(causeOf(e)).isInstanceOf(StreamNotFoundException.class));
    }

    @Test
    void positionsAreByteOffsetsThatGrowByEachRecordsSize() throws Exception {
        String stream = stream();
        append(stream, StreamState.any(), event("small"));
        EventData big = EventDataBuilder.binary(UUID.randomUUID(), "big", new byte[1000]).build();
        append(stream, StreamState.any(), big, event("after-big"));

        List<RecordedEvent> events = readStream(stream);
        long first = events.get(0).getPosition().getCommitUnsigned();
        long second = events.get(1).getPosition().getCommitUnsigned();
        long third = events.get(2).getPosition().getCommitUnsigned();
        assertThat(second - first).isGreaterThan(50);
        assertThat(third - second).isGreaterThan(1000);
        assertThat(events).allSatisfy(e -> assertThat(e.getPosition().getPrepareUnsigned())
                .isEqualTo(e.getPosition().getCommitUnsigned()));
        assertThat(events.get(0).getCreated()).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));
        assertThat(events.get(0).getContentType()).isEqualTo("application/octet-stream");
        assertThat(events.get(0).getUserMetadata()).containsExactly(1, 2, 3);
    }

    @Test
    void allIsReadFromRecordStartsOnlyAndHoldsTheServersSystemEvents() throws Exception {
        String stream = stream();
        append(stream, StreamState.any(), event("a"), event("b"));
        RecordedEvent a = readStream(stream).get(0);
        long position = a.getPosition().getCommitUnsigned();

        List<RecordedEvent> fromA = client.readAll(ReadAllOptions.get().fromPosition(new Position(position, position)).maxCount(2))
                .get(5, TimeUnit.SECONDS).getEvents().stream().map(ResolvedEvent::getOriginalEvent).toList();
        assertThat(fromA).extracting(RecordedEvent::getEventType).containsExactly("a", "b");

        assertThatThrownBy(() -> client.readAll(ReadAllOptions.get().fromPosition(new Position(position + 1, position + 1)))
                .get(5, TimeUnit.SECONDS))
                .satisfies(e -> assertThat(causeOf(e)).isInstanceOfSatisfying(StatusRuntimeException.class,
                        status -> assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT)));

        List<RecordedEvent> before = client.readAll(ReadAllOptions.get().backwards()
                        .fromPosition(new Position(position, position)).maxCount(1))
                .get(5, TimeUnit.SECONDS).getEvents().stream().map(ResolvedEvent::getOriginalEvent).toList();
        assertThat(before).allSatisfy(e -> assertThat(e.getPosition().getCommitUnsigned()).isLessThan(position));

        List<String> types = client.readAll(ReadAllOptions.get().fromStart().maxCount(1000)).get(5, TimeUnit.SECONDS)
                .getEvents().stream().map(e -> e.getOriginalEvent().getEventType()).toList();
        assertThat(types).contains("$epoch-information", "$metadata");
    }

    @Test
    void theServerWritesStatsEventsOfItsOwn() throws Exception {
        long end = server.log().end();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Optional<RecordedEvent> stats = Optional.empty();
        while (stats.isEmpty() && System.nanoTime() < deadline) {
            stats = client.readAll(ReadAllOptions.get().backwards().fromEnd().maxCount(50)).get(5, TimeUnit.SECONDS)
                    .getEvents().stream().map(ResolvedEvent::getOriginalEvent)
                    .filter(e -> e.getPosition().getCommitUnsigned() >= end)
                    .filter(e -> e.getEventType().equals("$statsCollected")).findFirst();
            if (stats.isEmpty()) {
                Thread.sleep(50);
            }
        }
        assertThat(stats).hasValueSatisfying(e -> {
            assertThat(e.getStreamId()).startsWith("$stats-");
            assertThat(e.getContentType()).isEqualTo("application/json");
        });
    }

    @Test
    void aSubscriptionToAllCatchesUpAfterItsPositionThenGoesLive() throws Exception {
        String stream = stream();
        append(stream, StreamState.any(), event("h1"), event("h2"));
        long h1 = readStream(stream).get(0).getPosition().getCommitUnsigned();
        BlockingQueue<RecordedEvent> received = new LinkedBlockingQueue<>();
        CountDownLatch caughtUp = new CountDownLatch(1);

        Subscription subscription = client.subscribeToAll(new SubscriptionListener() {
            @Override
            public void onEvent(Subscription s, ResolvedEvent event) {
                if (event.getOriginalEvent().getStreamId().equals(stream)) {
                    received.add(event.getOriginalEvent());
                }
            }

            @Override
            public void onCaughtUp(Subscription s, Instant timestamp, Long revision, Position position) {
                caughtUp.countDown();
            }
        }, SubscribeToAllOptions.get().fromPosition(new Position(h1, h1))).get(5, TimeUnit.SECONDS);
        try {
            assertThat(received.poll(5, TimeUnit.SECONDS)).extracting(RecordedEvent::getEventType).isEqualTo("h2");
            assertThat(caughtUp.await(5, TimeUnit.SECONDS)).isTrue();
            append(stream, StreamState.any(), event("live"));
            assertThat(received.poll(5, TimeUnit.SECONDS)).extracting(RecordedEvent::getEventType).isEqualTo("live");
            assertThat(received).isEmpty();
        } finally {
            subscription.stop();
        }
    }

    @Test
    void theClientLearnsTheServersVersionAndCanDiscoverTheNodeByGossip() throws Exception {
        assertThat(client.getServerVersion().get(5, TimeUnit.SECONDS)).hasValueSatisfying(
                (ServerVersion version) -> assertThat(version.getMajor()).isEqualTo(25));

        KurrentDBClient discovering = KurrentDBClient.create(KurrentDBConnectionString.parseOrThrow(
                "kurrentdb+discover://127.0.0.1:" + server.port() + "?tls=false&maxDiscoverAttempts=2&discoveryInterval=100"));
        try {
            String stream = stream();
            discovering.appendToStream(stream, event("via-gossip")).get(5, TimeUnit.SECONDS);
            assertThat(readStream(stream)).extracting(RecordedEvent::getEventType).containsExactly("via-gossip");
        } finally {
            discovering.shutdown().get(5, TimeUnit.SECONDS);
        }
    }
}
