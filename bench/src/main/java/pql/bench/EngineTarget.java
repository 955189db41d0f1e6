package pql.bench;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import pql.eventstore.AppendRequest;
import pql.eventstore.AppendResult;
import pql.eventstore.EventStore;

/** An event store engine, driven through the port exactly as ingest-service drives it. */
final class EngineTarget implements AppendTarget {

    private final String name;
    private final EventStore store;
    private final AutoCloseable cleanup;

    EngineTarget(String name, EventStore store, AutoCloseable cleanup) {
        this.name = name;
        this.store = store;
        this.cleanup = cleanup;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void appendAll(List<List<AppendRequest>> batches, int inFlight) {
        ArrayDeque<CompletableFuture<List<AppendResult>>> pending = new ArrayDeque<>();
        for (List<AppendRequest> batch : batches) {
            pending.add(store.appendAsync(batch));
            if (pending.size() >= inFlight) {
                check(pending.poll().join());
            }
        }
        while (!pending.isEmpty()) {
            check(pending.poll().join());
        }
    }

    private static void check(List<AppendResult> results) {
        for (AppendResult result : results) {
            if (result.conflict() || result.appendedCount() != result.events().size()) {
                throw new IllegalStateException("benchmark events must all be new: " + result.streamId());
            }
        }
    }

    @Override
    public void close() throws Exception {
        store.close();
        cleanup.close();
    }
}
