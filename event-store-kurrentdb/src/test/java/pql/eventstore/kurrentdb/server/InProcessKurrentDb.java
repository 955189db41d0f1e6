package pql.eventstore.kurrentdb.server;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A KurrentDB node for tests, in this JVM: a real gRPC (Netty) server on a loopback port speaking
 * the protocol of the official clients (Streams, ServerFeatures, Gossip), over an in-memory
 * transaction log. It can be stopped and started again on the same port with the same log, as a
 * node that crashes and comes back.
 *
 * <p>Like a real node it writes system events of its own: an epoch record and stream metadata at
 * start, and "$statsCollected" events every stats period (30 s on a real node; shorter here so
 * tests meet them), so clients must tell them from application events.
 */
public final class InProcessKurrentDb implements AutoCloseable {

    private static final String HOST = "127.0.0.1";

    private final TransactionLog log = new TransactionLog(Clock.systemUTC());
    private final StreamsService streams = new StreamsService(log);
    private final Duration statsPeriod;
    private final ScheduledExecutorService statsTimer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "in-process-kurrentdb-stats");
        thread.setDaemon(true);
        return thread;
    });
    private Server server;
    private ScheduledFuture<?> stats;
    private int port;

    private InProcessKurrentDb(Duration statsPeriod) {
        this.statsPeriod = statsPeriod;
        writeSystem("$epoch-information", "$epoch-information",
                "{\"epochNumber\":0,\"epochId\":\"" + UUID.randomUUID() + "\"}");
        writeSystem("$$$stats-" + HOST + ":2113", "$metadata", "{\"$maxAge\":86400}");
    }

    /** A node on a free loopback port, writing stats events every {@code statsPeriod}. */
    public static InProcessKurrentDb start(Duration statsPeriod) {
        InProcessKurrentDb node = new InProcessKurrentDb(statsPeriod);
        node.startServer();
        return node;
    }

    public static InProcessKurrentDb start() {
        return start(Duration.ofMillis(500));
    }

    /**
     * A connection string for this node; the client gives up on a dead node after two quick
     * attempts (a real deployment keeps the defaults: ten attempts, 500 ms apart).
     */
    public String connectionString() {
        return "kurrentdb://" + HOST + ":" + port + "?tls=false&maxDiscoverAttempts=2&discoveryInterval=100&gossipTimeout=2000";
    }

    public int port() {
        return port;
    }

    public TransactionLog log() {
        return log;
    }

    /** Crashes the node: every connection and subscription is cut; the log stays. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        stats.cancel(false);
        streams.endSubscriptions();
        server.shutdownNow();
        try {
            server.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server = null;
    }

    /** Cuts every live subscription with CANCELLED, as a proxy between client and node might. */
    public void cancelSubscriptions() {
        streams.cancelSubscriptions();
    }

    /** Starts the node again on the same port, with the log it had. */
    public synchronized void restart() {
        stop();
        startServer();
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** An event of another application: a JSON event in a stream of its own. */
    public void writeForeignEvent(String streamId, String eventType, String json) {
        log.append(streamId, TransactionLog.ANY, List.of(new TransactionLog.Proposed(UUID.randomUUID(), eventType, true,
                json.getBytes(StandardCharsets.UTF_8), new byte[0])));
    }

    /** A system event, as the node writes them. */
    public void writeSystem(String streamId, String eventType, String json) {
        writeForeignEvent(streamId, eventType, json);
    }

    private synchronized void startServer() {
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(HOST, port))
                // the port is taken again at once after a stop, while old connections linger in TIME_WAIT
                .withOption(ChannelOption.SO_REUSEADDR, true)
                .addService(streams)
                .addService(new ServerFeaturesService())
                .addService(new GossipService(HOST, this::port));
        try {
            server = builder.build().start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + HOST + ":" + port, e);
        }
        port = server.getPort();
        stats = statsTimer.scheduleAtFixedRate(
                () -> writeSystem("$stats-" + HOST + ":2113", "$statsCollected",
                        "{\"proc-startTime\":\"" + java.time.Instant.now() + "\"}"),
                statsPeriod.toMillis(), statsPeriod.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        stop();
        statsTimer.shutdownNow();
    }
}
