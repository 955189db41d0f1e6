package pql.gateway;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's own Netty event loops ({@code gateway-grpc-io-N}; epoll where the platform has
 * it), instead of grpc-java's process-wide shared group: every call's bytes pass through them, so
 * their threads ask for the highest Java priority (given to Linux only with
 * {@code -XX:ThreadPriorityPolicy=1}, see the all-in-one's InProcessModule) and, when ingest
 * keeps the cores busy, a read's frames are not read off the socket after ingest's work
 * (issue #13). The heavy ingest work runs downstream, on ingest's low-priority threads.
 */
final class GatewayEventLoops implements AutoCloseable {

    private final boolean epoll = Epoll.isAvailable();
    private final EventLoopGroup boss = group(1, "gateway-grpc-accept-");
    private final EventLoopGroup workers = group(Math.max(2, Runtime.getRuntime().availableProcessors()), "gateway-grpc-io-");

    void configure(NettyServerBuilder builder) {
        builder.bossEventLoopGroup(boss).workerEventLoopGroup(workers)
                .channelType(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class);
    }

    private EventLoopGroup group(int threads, String prefix) {
        ThreadFactory named = ReadPathThreads.numbered(prefix);
        return epoll ? new EpollEventLoopGroup(threads, named) : new NioEventLoopGroup(threads, named);
    }

    @Override
    public void close() {
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }
}
