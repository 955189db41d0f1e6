package pql.common.grpc;

import java.io.IOException;

/**
 * A gRPC server as the shutdown order sees it: stopping is two steps, so that a process with
 * several servers (the gateway's public one in front of in-process backends) can stop every
 * entrance before it waits for the calls already inside.
 */
public interface GrpcEndpoint {

    /** Binds and starts serving. */
    void start() throws IOException;

    /** Refuses new calls (health turns NOT_SERVING); calls in flight carry on. */
    void stopAccepting();

    /** Waits for the calls in flight to finish, cancelling those still running after a grace period. */
    void awaitDrained() throws InterruptedException;
}
