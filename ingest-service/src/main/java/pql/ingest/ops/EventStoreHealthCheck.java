package pql.ingest.ops;

import com.codahale.metrics.health.HealthCheck;
import pql.eventstore.EventStore;

/** Healthy while the event store can be written: without it every call would be UNAVAILABLE. */
public final class EventStoreHealthCheck extends HealthCheck {

    private final EventStore store;

    public EventStoreHealthCheck(EventStore store) {
        this.store = store;
    }

    @Override
    protected Result check() {
        if (!store.isAvailable()) {
            return Result.unhealthy("the " + store.engineName() + " event store cannot be written");
        }
        return Result.healthy(store.engineName() + " event store writable, head position " + store.headPosition());
    }
}
