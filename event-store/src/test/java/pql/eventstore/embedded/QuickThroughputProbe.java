package pql.eventstore.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import pql.eventstore.*;
import pql.v1.EventEnvelope;

public class QuickThroughputProbe {
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/work"), "probe");
        try (RocksDbEventStore store = RocksDbEventStore.open(EmbeddedStoreOptions.defaults(dir))) {
            int batches = 2000, batchSize = 500, inflight = Integer.parseInt(args[0]);
            List<List<AppendRequest>> all = new ArrayList<>();
            for (int b = 0; b < batches; b++) {
                List<AppendRequest> reqs = new ArrayList<>();
                for (int a = 0; a < 50; a++) {
                    String stream = StreamIds.forAccount("acct-" + ((b * 50 + a) % 100000));
                    List<EventEnvelope> evs = new ArrayList<>();
                    for (int i = 0; i < batchSize / 50; i++) evs.add(TestEvents.action("e-" + b + "-" + a + "-" + i, stream));
                    reqs.add(new AppendRequest(stream, ExpectedVersion.ANY, evs));
                }
                all.add(reqs);
            }
            long t0 = System.nanoTime();
            List<CompletableFuture<?>> pending = new ArrayList<>();
            for (List<AppendRequest> reqs : all) {
                pending.add(store.appendAsync(reqs));
                if (pending.size() >= inflight) { pending.remove(0).join(); }
            }
            pending.forEach(CompletableFuture::join);
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("inflight=%d events/s=%.0f%n", inflight, batches * batchSize / s);
        }
    }
}
