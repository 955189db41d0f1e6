package pql.eventstore.embedded;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import pql.eventstore.AppendRequest;
import pql.eventstore.AppendResult;
import pql.eventstore.ExpectedVersion;
import pql.eventstore.StreamIds;
import pql.eventstore.TestEvents;
import pql.v1.EventEnvelope;

/**
 * The child process of the crash test: appends batches from several threads as fast as it can and
 * prints one line per acknowledged event ({@code ACK stream eventId position}) only after the
 * store acknowledged it, until it is killed.
 */
public final class CrashingAppender {

    private CrashingAppender() {
    }

    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args[0]);
        String run = args[1];
        int writers = 4;
        RocksDbEventStore store = RocksDbEventStore.open(EmbeddedStoreOptions.defaults(directory));
        PrintStream out = new PrintStream(System.out, false);
        ExecutorService executor = Executors.newFixedThreadPool(writers);
        for (int w = 0; w < writers; w++) {
            int writer = w;
            executor.submit(() -> {
                for (long batch = 0; ; batch++) {
                    List<AppendRequest> requests = new ArrayList<>();
                    for (int a = 0; a < 10; a++) {
                        String stream = StreamIds.forAccount("crash-" + ((batch * 10 + a) % 500));
                        List<EventEnvelope> events = new ArrayList<>();
                        for (int e = 0; e < 20; e++) {
                            events.add(TestEvents.action(run + "-w" + writer + "-b" + batch + "-a" + a + "-e" + e, stream));
                        }
                        requests.add(new AppendRequest(stream, ExpectedVersion.ANY, events));
                    }
                    CompletableFuture<List<AppendResult>> done = store.appendAsync(requests);
                    List<AppendResult> results = done.join();
                    StringBuilder lines = new StringBuilder();
                    for (AppendResult result : results) {
                        for (AppendResult.EventOutcome outcome : result.events()) {
                            lines.append("ACK ").append(result.streamId()).append(' ').append(outcome.eventId())
                                    .append(' ').append(outcome.globalPosition()).append('\n');
                        }
                    }
                    synchronized (out) {
                        out.print(lines);
                        out.flush();
                    }
                }
            });
        }
        System.err.println("appending");
        Thread.sleep(Long.MAX_VALUE);
    }
}
