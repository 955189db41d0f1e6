package pql.ingest.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.eventstore.StoredEvent;
import pql.eventstore.StreamVersions;
import pql.eventstore.embedded.EmbeddedStoreOptions;
import pql.eventstore.embedded.RocksDbEventStore;
import pql.ingest.support.IngestServerProcess;
import pql.ingest.support.StreamClient;
import pql.ingest.support.TestEvents;
import pql.v1.Event;
import pql.v1.EventResult;
import pql.v1.IngestEventRequest;
import pql.v1.IngestServiceGrpc;
import pql.v1.IngestStreamRequest;
import pql.v1.IngestStreamResponse;

/**
 * kill -9 at any moment loses no acknowledged event: the service runs in a child JVM, takes a
 * stream and unary calls over Netty, and is killed with SIGKILL mid-way. The store, reopened,
 * holds every acknowledged event where its acknowledgement said, and no account's share of a
 * chunk is half there.
 */
class IngestKilledProcessTest {

    @TempDir
    Path directory;

    @Test
    void noAcknowledgedEventIsLostWhenTheServiceProcessIsKilled() throws Exception {
        Path data = directory.resolve("events");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                IngestServerProcess.class.getName(), data.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        ManagedChannel channel = null;
        try {
            int port = awaitPort(child);
            channel = Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create()).build();
            List<IngestStreamRequest> chunks = chunks(2_000, 50, 23);
            CountDownLatch killTime = new CountDownLatch(1);
            AtomicInteger answered = new AtomicInteger();
            StreamClient stream = StreamClient.run(IngestServiceGrpc.newStub(channel), chunks, response -> {
                if (answered.incrementAndGet() == 60) {
                    killTime.countDown();
                }
            });
            Map<String, EventResult> unaryAcks = new ConcurrentHashMap<>();
            Thread unary = unaryCaller(channel, unaryAcks);
            unary.start();

            assertThat(killTime.await(60, TimeUnit.SECONDS)).isTrue();
            // a real SIGKILL from outside, while both calls are in full flow
            assertThat(new ProcessBuilder("kill", "-9", Long.toString(child.pid())).start().waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
            assertThat(stream.awaitEnd().getCode()).isNotEqualTo(Status.Code.OK);
            unary.join(TimeUnit.SECONDS.toMillis(30));

            List<IngestStreamResponse> acks = stream.responses();
            assertThat(acks.size()).isBetween(60, chunks.size() - 1);
            assertThat(unaryAcks).isNotEmpty();
            verifyStore(data, chunks, acks, unaryAcks);
        } finally {
            if (channel != null) {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static void verifyStore(Path data, List<IngestStreamRequest> chunks, List<IngestStreamResponse> acks,
            Map<String, EventResult> unaryAcks) {
        try (RocksDbEventStore store = RocksDbEventStore.open(EmbeddedStoreOptions.defaults(data))) {
            Map<String, StoredEvent> stored = new HashMap<>();
            Map<String, Long> lastVersion = new HashMap<>();
            long after = StreamVersions.BEFORE_FIRST_POSITION;
            for (List<StoredEvent> page; !(page = store.readAll(after, 10_000)).isEmpty(); ) {
                for (StoredEvent event : page) {
                    assertThat(event.streamVersion()).as("stream %s stays contiguous", event.streamId())
                            .isEqualTo(lastVersion.getOrDefault(event.streamId(), -1L) + 1);
                    lastVersion.put(event.streamId(), event.streamVersion());
                    stored.put(event.envelope().getEventId(), event);
                }
                after = page.get(page.size() - 1).globalPosition();
            }
            List<EventResult> acknowledged = new ArrayList<>(unaryAcks.values());
            acks.forEach(ack -> acknowledged.addAll(ack.getResultsList()));
            for (EventResult result : acknowledged) {
                assertThat(result.getStatus()).isEqualTo(EventResult.Status.STATUS_ACCEPTED);
                StoredEvent event = stored.get(result.getEventId());
                assertThat(event).as("acknowledged %s", result.getEventId()).isNotNull();
                assertThat(event.globalPosition()).isEqualTo(result.getGlobalPosition());
                assertThat(event.streamVersion()).isEqualTo(result.getStreamVersion());
            }
            for (IngestStreamRequest chunk : chunks) {
                Map<String, List<String>> perAccount = new LinkedHashMap<>();
                chunk.getEventsList().forEach(e -> perAccount.computeIfAbsent(e.getAccountId(), a -> new ArrayList<>()).add(e.getEventId()));
                perAccount.forEach((account, ids) -> {
                    Set<Boolean> present = new HashSet<>();
                    ids.forEach(id -> present.add(stored.containsKey(id)));
                    assertThat(present).as("chunk %d, account %s: all or nothing", chunk.getSequence(), account).hasSize(1);
                });
            }
        }
    }

    /** Sends single events one after the other until the server is gone, recording each ack. */
    private static Thread unaryCaller(ManagedChannel channel, Map<String, EventResult> acks) {
        return new Thread(() -> {
            IngestServiceGrpc.IngestServiceBlockingStub stub = IngestServiceGrpc.newBlockingStub(channel);
            for (int i = 0; i < 100_000; i++) {
                Event event = event("unary-" + i, "solo-" + (i % 5));
                try {
                    EventResult result = stub.withDeadlineAfter(10, TimeUnit.SECONDS)
                            .ingestEvent(IngestEventRequest.newBuilder().setEvent(event).build()).getResult();
                    acks.put(result.getEventId(), result);
                } catch (StatusRuntimeException gone) {
                    return;
                }
            }
        }, "unary-caller");
    }

    private static int awaitPort(Process child) throws Exception {
        BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = reader.readLine()) != null; ) {
            if (line.startsWith("PORT ")) {
                return Integer.parseInt(line.substring(5).trim());
            }
        }
        throw new IllegalStateException("the service process ended before serving");
    }

    private static List<IngestStreamRequest> chunks(int count, int size, int accounts) {
        List<IngestStreamRequest> chunks = new ArrayList<>(count);
        int id = 0;
        for (int c = 1; c <= count; c++) {
            IngestStreamRequest.Builder chunk = IngestStreamRequest.newBuilder().setSequence(c);
            for (int i = 0; i < size; i++, id++) {
                chunk.addEvents(event("k-" + id, "acct-" + (id % accounts)));
            }
            chunks.add(chunk.build());
        }
        return chunks;
    }

    /** The child runs on the real clock. */
    private static Event event(String id, String account) {
        Instant now = Instant.now().minusSeconds(60);
        return TestEvents.productAction(id, account).toBuilder()
                .setOccurredAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond())).build();
    }
}
