package pql.eventstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pql.eventstore.AppendResult;
import pql.eventstore.EventStoreUnavailableException;
import pql.eventstore.ExpectedVersion;
import pql.eventstore.StoredEvent;
import pql.eventstore.TestEvents;
import pql.v1.EventEnvelope;

/** The server goes away and comes back, under a store that stays open. */
class PostgresOutageTest {

    private Path dataDirectory;
    private int port;
    private EmbeddedPostgres postgres;

    @BeforeEach
    void startServer() throws IOException {
        dataDirectory = Files.createTempDirectory("pql-pg-outage");
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        postgres = startOnTheSameFiles();
    }

    private EmbeddedPostgres startOnTheSameFiles() {
        return TestPostgres.start(EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPort(port));
    }

    @AfterEach
    void stopServer() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
        try (Stream<Path> files = Files.walk(dataDirectory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private static List<EventEnvelope> events(String streamId, String... ids) {
        return Stream.of(ids).map(id -> TestEvents.action(id, streamId)).toList();
    }

    @Test
    void aStoppedServerMakesTheStoreUnavailableUntilItIsBack() throws Exception {
        PostgresStoreOptions options = PostgresStoreOptions.defaults(TestPostgres.options(postgres, "outage")
                        .withConnectionTimeout(Duration.ofMillis(500)))
                .withPollInterval(Duration.ofMillis(50));
        String stream = TestEvents.uniqueStream("outage");
        try (PostgresEventStore store = PostgresEventStore.open(options)) {
            AppendResult before = store.append(stream, ExpectedVersion.NO_STREAM, events(stream, "e1", "e2"));
            assertThat(store.isAvailable()).isTrue();

            postgres.close();
            postgres = null;

            assertThat(store.isAvailable()).isFalse();
            assertThatThrownBy(() -> store.append(stream, ExpectedVersion.exactly(1), events(stream, "e3")))
                    .isInstanceOf(EventStoreUnavailableException.class);
            assertThatThrownBy(() -> store.readAll(0, 10)).isInstanceOf(EventStoreUnavailableException.class);
            assertThatThrownBy(() -> store.readStream(stream, 0, 10)).isInstanceOf(EventStoreUnavailableException.class);
            assertThatThrownBy(store::headPosition).isInstanceOf(EventStoreUnavailableException.class);
            assertThat(store.awaitAfter(before.events().get(1).globalPosition(), Duration.ofMillis(100))).isFalse();
            assertThatThrownBy(() -> PostgresEventStore.open(options)).isInstanceOf(EventStoreUnavailableException.class);

            postgres = startOnTheSameFiles();

            awaitAvailable(store);
            assertThat(store.readStream(stream, 0, 10)).extracting(StoredEvent::streamVersion).containsExactly(0L, 1L);
            // the append refused during the outage never reached the server: retrying it applies it
            AppendResult retried = store.append(stream, ExpectedVersion.exactly(1), events(stream, "e3"));
            assertThat(retried.streamVersion()).isEqualTo(2);
            assertThat(retried.events().get(0).globalPosition()).isEqualTo(before.events().get(1).globalPosition() + 1);
        }
    }

    @Test
    void aReaderWaitingThroughTheOutageSeesTheFirstAppendAfterIt() throws Exception {
        PostgresStoreOptions options = PostgresStoreOptions.defaults(TestPostgres.options(postgres, "outage")
                        .withConnectionTimeout(Duration.ofMillis(500)))
                .withPollInterval(Duration.ofMillis(50));
        String stream = TestEvents.uniqueStream("outage-wait");
        try (PostgresEventStore reader = PostgresEventStore.open(options)) {
            long head = reader.headPosition();
            postgres.close();
            postgres = startOnTheSameFiles();
            try (PostgresEventStore writer = PostgresEventStore.open(options)) {
                writer.append(stream, ExpectedVersion.ANY, events(stream, IntStream.range(0, 3)
                        .mapToObj(i -> "e" + i).toArray(String[]::new)));
            }
            assertThat(reader.awaitAfter(head, Duration.ofSeconds(30))).isTrue();
            awaitAvailable(reader);
            assertThat(reader.readAll(head, 10)).hasSize(3);
        }
    }

    private static void awaitAvailable(PostgresEventStore store) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!store.isAvailable()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the store did not come back within 30 s");
            }
            Thread.sleep(100);
        }
    }
}
