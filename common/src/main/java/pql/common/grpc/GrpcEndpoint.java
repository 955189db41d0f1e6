package pql.common.grpc;

import java.io.IOException;

/**
 * A gRPC server as the shutdown order sees it: stopping is two steps, first no new calls, then
 * the wait for the calls already inside, so the order is spelled out where it is decided
 * ({@code ServiceLifecycle}) rather than hidden in each server's {@code stop}.
 */
public interface GrpcEndpoint {

    /** Binds and starts serving. */
    void start() throws IOException;

    /** Refuses new calls (health turns NOT_SERVING); calls in flight carry on. */
    void stopAccepting();

    /** Waits for the calls in flight to finish, cancelling those still running after a grace period. */
    void awaitDrained() throws InterruptedException;
}
