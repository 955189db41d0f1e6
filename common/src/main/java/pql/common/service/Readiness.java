package pql.common.service;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Whether a module can answer its reads yet. A module that must first rebuild state (scoring
 * restoring its projection's segments after a restart) starts not ready and says when it is;
 * the servers in front of it mirror this into grpc.health.v1 (NOT_SERVING until ready, for each
 * of its services and for "") so that probes and load balancers keep traffic away meanwhile.
 * Most modules are ready from the start ({@link #alwaysReady()}).
 */
public final class Readiness {

    private final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean ready;
    private volatile String description;

    private Readiness(boolean ready, String description) {
        this.ready = ready;
        this.description = description;
    }

    /** Ready from the start, for good. */
    public static Readiness alwaysReady() {
        return new Readiness(true, "ready");
    }

    /** Not ready until {@link #ready} is called. */
    public static Readiness notReadyYet(String why) {
        return new Readiness(false, why);
    }

    public boolean isReady() {
        return ready;
    }

    /** Why not ready, or what ready means now; for health checks and logs. */
    public String description() {
        return description;
    }

    public void ready(String what) {
        update(true, what);
    }

    public void notReady(String why) {
        update(false, why);
    }

    // Listeners are told under the lock, so one subscribing meanwhile never sees the states out of order.
    private synchronized void update(boolean nowReady, String text) {
        description = text;
        if (ready != nowReady) {
            ready = nowReady;
            listeners.forEach(listener -> listener.accept(nowReady));
        }
    }

    /** Tells {@code listener} the current state now, and every change from then on (keep it quick). */
    public synchronized void subscribe(Consumer<Boolean> listener) {
        listeners.add(listener);
        listener.accept(ready);
    }
}
