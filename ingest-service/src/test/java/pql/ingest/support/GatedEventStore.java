package pql.ingest.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import pql.eventstore.AppendRequest;
import pql.eventstore.AppendResult;
import pql.eventstore.EventStore;
import pql.eventstore.ForwardingEventStore;

/**
 * A real store behind a gate: while closed, appends wait (as behind a lagging disk); opening the
 * gate hands them to the real store in order. It can also make appends fail as the store's own
 * refusals do. Everything else goes straight through.
 */
public final class GatedEventStore extends ForwardingEventStore {

    private final List<Held> held = new ArrayList<>();
    private boolean closedGate;
    private RuntimeException failure;

    public GatedEventStore(EventStore delegate) {
        super(delegate);
    }

    public synchronized void closeGate() {
        closedGate = true;
    }

    public void openGate() {
        List<Held> release;
        synchronized (this) {
            closedGate = false;
            release = List.copyOf(held);
            held.clear();
        }
        for (Held append : release) {
            delegate.appendAsync(append.requests).whenComplete((results, error) -> {
                if (error != null) {
                    append.result.completeExceptionally(error);
                } else {
                    append.result.complete(results);
                }
            });
        }
    }

    /** Every later append fails with {@code error} (null: back to normal), as the store would refuse it. */
    public synchronized void failAppendsWith(RuntimeException error) {
        failure = error;
    }

    public synchronized int heldAppends() {
        return held.size();
    }

    @Override
    public CompletableFuture<List<AppendResult>> appendAsync(List<AppendRequest> requests) {
        synchronized (this) {
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            if (closedGate) {
                Held append = new Held(requests, new CompletableFuture<>());
                held.add(append);
                return append.result;
            }
        }
        return delegate.appendAsync(requests);
    }

    private record Held(List<AppendRequest> requests, CompletableFuture<List<AppendResult>> result) {
    }
}
