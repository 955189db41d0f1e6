package pql.eventstore.kurrentdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.kurrent.dbclient.AppendToStreamOptions;
import io.kurrent.dbclient.EventDataBuilder;
import io.kurrent.dbclient.KurrentDBClient;
import io.kurrent.dbclient.KurrentDBConnectionString;
import io.kurrent.dbclient.ReadStreamOptions;
import io.kurrent.dbclient.RecordedEvent;
import io.kurrent.dbclient.ResolvedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pql.eventstore.AppendResult;
import pql.eventstore.ExpectedVersion;
import pql.eventstore.LogCursor;
import pql.eventstore.StoredEvent;
import pql.eventstore.StreamVersions;
import pql.eventstore.TestEvents;
import pql.eventstore.kurrentdb.server.InProcessKurrentDb;
import pql.v1.EventEnvelope;

/** What is particular to the KurrentDB engine: how events look in KurrentDB, and what is not ours. */
class KurrentDbEventStoreTest {

    private static InProcessKurrentDb server;
    private KurrentDbEventStore store;
    private KurrentDBClient client;

    @BeforeAll
    static void startServer() {
        // frequent stats events: every wait in these tests meets some
        server = InProcessKurrentDb.start(Duration.ofMillis(50));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void open() {
        store = KurrentDbEventStore.open(KurrentDbStoreOptions.of(server.connectionString()));
        client = KurrentDBClient.create(KurrentDBConnectionString.parseOrThrow(server.connectionString()));
    }

    @AfterEach
    void close() throws Exception {
        store.close();
        client.shutdown().get(5, TimeUnit.SECONDS);
    }

    private static List<EventEnvelope> events(String stream, String... ids) {
        List<EventEnvelope> events = new ArrayList<>();
        for (String id : ids) {
            events.add(TestEvents.action(id, stream));
        }
        return events;
    }

    private List<RecordedEvent> rawStream(String stream) throws Exception {
        return client.readStream(stream, ReadStreamOptions.get().fromStart()).get(5, TimeUnit.SECONDS).getEvents().stream()
                .map(ResolvedEvent::getOriginalEvent).toList();
    }

    @Test
    void anEnvelopeIsStoredAsTypeDataAndTheRestOfItAsMetadata() throws Exception {
        String stream = TestEvents.uniqueStream("mapping");
        EventEnvelope sent = TestEvents.action("evt-1", stream);
        AppendResult result = store.append(stream, ExpectedVersion.NO_STREAM, List.of(sent));

        RecordedEvent stored = rawStream(stream).get(0);

        assertThat(stored.getEventType()).isEqualTo("pql.v1.ProductAction");
        assertThat(stored.getContentType()).isEqualTo("application/octet-stream");
        assertThat(ByteString.copyFrom(stored.getEventData())).isEqualTo(sent.getPayload());
        assertThat(EventEnvelope.parseFrom(stored.getUserMetadata())).isEqualTo(sent.toBuilder().clearPayload().build());
        assertThat(stored.getEventId()).isEqualTo(EventMapping.eventUuid(stream, "evt-1"))
                .isEqualTo(EventMapping.eventUuid(stream, "evt-1"))
                .isNotEqualTo(EventMapping.eventUuid(stream + "x", "evt-1"))
                .satisfies(uuid -> assertThat(uuid.version()).isEqualTo(5));
        assertThat(stored.getRevision()).isEqualTo(result.events().get(0).streamVersion());
        assertThat(stored.getPosition().getCommitUnsigned()).isEqualTo(result.events().get(0).globalPosition());
        assertThat(store.readStream(stream, 0, 1).get(0).envelope().toByteString()).isEqualTo(sent.toByteString());
    }

    @Test
    void systemEventsOtherApplicationsEventsAndForgeriesAreNotOurs() throws Exception {
        String stream = TestEvents.uniqueStream("filter");
        AppendResult mine = store.append(stream, ExpectedVersion.NO_STREAM, events(stream, "e1"));
        long position = mine.events().get(0).globalPosition();
        server.writeForeignEvent("orders-" + UUID.randomUUID(), "OrderPlaced", "{\"total\":10}");
        server.writeSystem("$$" + stream, "$metadata", "{\"$maxCount\":1000}");
        // looks like one of ours (binary, an envelope as metadata) but its id is not ours
        EventEnvelope forged = TestEvents.action("forged", stream);
        client.appendToStream(stream, AppendToStreamOptions.get(), EventDataBuilder
                        .binary(UUID.randomUUID(), forged.getType(), forged.getPayload().toByteArray())
                        .metadataAsBytes(forged.toBuilder().clearPayload().build().toByteArray()).build())
                .get(5, TimeUnit.SECONDS);

        assertThat(store.readAll(position - 1, 1000)).extracting(StoredEvent::streamId).containsOnly(stream)
                .hasSize(1);
        assertThat(store.headPosition()).isEqualTo(position);
        assertThat(store.readAll(position, 1000)).isEmpty();
        assertThat(store.awaitAfter(position, Duration.ofMillis(300))).as("stats events keep coming").isFalse();
        try (LogCursor cursor = store.openAll(position - 1)) {
            assertThat(cursor.nextAvailable().envelope().getEventId()).isEqualTo("e1");
            assertThat(cursor.hasNextAvailable(300, TimeUnit.MILLISECONDS)).isFalse();
        }
        assertThat(store.readStream(stream, 0, 10)).extracting(e -> e.envelope().getEventId()).containsExactly("e1");
        // the forgery still takes a revision: versions are KurrentDB's
        assertThat(store.streamVersion(stream)).isEqualTo(1);
        assertThat(store.append(stream, ExpectedVersion.exactly(1), events(stream, "e2")).streamVersion()).isEqualTo(2);
    }

    @Test
    void positionsBetweenRecordsAreReadFromTheNextRecord() {
        String stream = TestEvents.uniqueStream("between");
        AppendResult result = store.append(stream, ExpectedVersion.NO_STREAM, events(stream, "e0", "e1", "e2"));
        long second = result.events().get(1).globalPosition();

        // KurrentDB refuses to read from inside a record (see InProcessKurrentDbTest); the store does not
        assertThat(store.readAll(second - 1, 10)).extracting(e -> e.envelope().getEventId()).startsWith("e1", "e2");
        assertThat(store.readAll(second + 1, 10)).extracting(e -> e.envelope().getEventId()).startsWith("e2");
        assertThat(store.readAll(second, 1)).extracting(e -> e.envelope().getEventId()).containsExactly("e2");
    }

    @Test
    void aCursorFromInsideARecordStartsAtTheNextOne() throws Exception {
        String stream = TestEvents.uniqueStream("cursor-between");
        AppendResult result = store.append(stream, ExpectedVersion.NO_STREAM, events(stream, "e0", "e1", "e2"));
        try (LogCursor cursor = store.openAll(result.events().get(1).globalPosition() + 1)) {
            assertThat(cursor.hasNextAvailable(5, TimeUnit.SECONDS)).isTrue();
            assertThat(cursor.nextAvailable().envelope().getEventId()).isEqualTo("e2");
        }
    }

    @Test
    void aCursorWhoseSubscriptionWasSilentlyCancelledCatchesUpFromTheLog() throws Exception {
        String stream = TestEvents.uniqueStream("silent");
        AppendResult first = store.append(stream, ExpectedVersion.NO_STREAM, events(stream, "e1"));
        try (ClientConnection connection = new ClientConnection(server.connectionString());
                LogCursor cursor = new SubscriptionLogCursor(connection,
                        new GlobalLog(new KurrentReads(connection, 5_000, true), 512),
                        first.events().get(0).globalPosition() - 1, 100, 5_000, Duration.ofMillis(300))) {
            assertThat(cursor.nextAvailable().envelope().getEventId()).isEqualTo("e1");

            server.cancelSubscriptions();
            store.append(stream, ExpectedVersion.exactly(0), events(stream, "e2"));

            assertThat(cursor.hasNextAvailable(10, TimeUnit.SECONDS)).isTrue();
            assertThat(cursor.nextAvailable().envelope().getEventId()).isEqualTo("e2");
        }
    }

    @Test
    void longStreamsArePagedAndStayIdempotentOnceTheStoreHasForgottenThem() {
        try (KurrentDbEventStore small = KurrentDbEventStore.open(KurrentDbStoreOptions.of(server.connectionString())
                .withReadPageSize(7).withStreamCacheSize(1))) {
            String stream = TestEvents.uniqueStream("long");
            String[] ids = IntStream.range(0, 30).mapToObj(i -> "e" + i).toArray(String[]::new);
            small.append(stream, ExpectedVersion.NO_STREAM, events(stream, ids));
            String other = TestEvents.uniqueStream("evicts");
            small.append(other, ExpectedVersion.NO_STREAM, events(other, "x"));

            AppendResult retry = small.append(stream, ExpectedVersion.NO_STREAM, events(stream, "e3", "e25", "e29"));

            assertThat(retry.conflict()).isFalse();
            assertThat(retry.events()).extracting(AppendResult.EventOutcome::duplicate).containsOnly(true);
            assertThat(retry.events()).extracting(AppendResult.EventOutcome::streamVersion).containsExactly(3L, 25L, 29L);
            assertThat(small.readStream(stream, 0, 100)).extracting(StoredEvent::streamVersion)
                    .containsExactlyElementsOf(IntStream.range(0, 30).mapToObj(i -> (long) i).toList());
            long before = retry.events().get(0).globalPosition() - 1;
            assertThat(small.readAll(before, 10)).extracting(e -> e.envelope().getEventId())
                    .containsExactly("e3", "e4", "e5", "e6", "e7", "e8", "e9", "e10", "e11", "e12");
        }
    }

    @Test
    void streamsNobodyWroteAreEmptyAndAtNoVersion() {
        String missing = TestEvents.uniqueStream("missing");
        assertThat(store.readStream(missing, 0, 10)).isEmpty();
        assertThat(store.streamVersion(missing)).isEqualTo(StreamVersions.NONE);
        assertThat(store.engineName()).isEqualTo("kurrentdb");
        assertThat(store.isAvailable()).isTrue();
    }
}
