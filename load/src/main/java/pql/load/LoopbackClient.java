package pql.load;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A benchmark's gRPC client on loopback, on threads of its own (one Netty event loop
 * "bench-client-io", two call executors "bench-client-exec"), so the load generator's CPU is told
 * apart from the server's in the same process. Its threads are daemons.
 */
public final class LoopbackClient {

    private final EventLoopGroup loop = new NioEventLoopGroup(1, daemonThreads("bench-client-io"));
    private final ExecutorService executor = Executors.newFixedThreadPool(2, daemonThreads("bench-client-exec"));

    /** A channel for a try block: shut down (waiting up to 5 s for its calls) when it closes. */
    public record Connection(ManagedChannel channel) implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    public Connection connect(int port) {
        return new Connection(channel(port));
    }

    /** A plaintext channel to 127.0.0.1:{@code port}; the caller shuts it down. */
    public ManagedChannel channel(int port) {
        return NettyChannelBuilder.forAddress("127.0.0.1", port)
                .usePlaintext()
                .eventLoopGroup(loop)
                .channelType(NioSocketChannel.class)
                .executor(executor)
                .maxInboundMessageSize(16 << 20)
                .build();
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger number = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
