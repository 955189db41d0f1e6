package pql.gateway;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Picks the gateway's executor per call: calls of the read services (scores, forecast,
 * definitions, metrics, alerts) run on threads of their own ({@code gateway-read-N}), every
 * other call (ingest, keys, health, reflection) on the transport's threads as before. Under an
 * ingest flood the Netty event loops are busy moving ingest messages; a read then waits for its
 * loop only to be read off the socket, not for the loop to work through every ingest message
 * queued before it (issue #13: score p99 under an ingest overload).
 *
 * <p>The pool grows as reads need up to {@link #MAX_THREADS} (a caller flooding reads queues behind
 * its own calls instead of making the gateway start a thread per call) and shrinks when idle; its
 * threads ask for the highest Java priority, which the JVM passes to the OS only with
 * {@code -XX:ThreadPriorityPolicy=1}.
 */
final class ReadCallExecutor implements ServerCallExecutorSupplier, AutoCloseable {

    /** The thread name prefix of the read executor. */
    static final String THREAD_PREFIX = "gateway-read-";
    /** Reads in progress at once; the rest wait in arrival order. */
    static final int MAX_THREADS = 64;

    private final Set<String> readServices;
    private final ExecutorService reads;

    ReadCallExecutor(Set<String> readServices) {
        this.readServices = Set.copyOf(readServices);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(MAX_THREADS, MAX_THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), ReadPathThreads.numbered(THREAD_PREFIX));
        pool.allowCoreThreadTimeOut(true);
        this.reads = pool;
    }

    @Override
    public <ReqT, RespT> Executor getExecutor(ServerCall<ReqT, RespT> call, Metadata metadata) {
        // null: the server's own executor (the transport thread)
        return readServices.contains(call.getMethodDescriptor().getServiceName()) ? reads : null;
    }

    @Override
    public void close() {
        reads.shutdown();
    }
}
