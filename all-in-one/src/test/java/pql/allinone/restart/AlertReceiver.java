package pql.allinone.restart;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A webhook receiver on a fixed local port that can go down (connections refused) and come back on
 * the same URL; every POST it took is kept across its downs and ups.
 */
final class AlertReceiver implements AutoCloseable {

    record Post(long receivedAtMillis, String body, String signature, String alertId) {
    }

    final List<Post> posts = new CopyOnWriteArrayList<>();
    private final int port;
    private HttpServer server;

    AlertReceiver(int port) throws Exception {
        this.port = port;
        up();
    }

    String url() {
        return "http://127.0.0.1:" + port + "/pql-alerts";
    }

    synchronized void up() throws Exception {
        for (int attempt = 0; ; attempt++) {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
                break;
            } catch (BindException stillClosing) {
                if (attempt > 50) {
                    throw stillClosing;
                }
                Thread.sleep(100);
            }
        }
        server.createContext("/pql-alerts", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            posts.add(new Post(System.currentTimeMillis(), body, exchange.getRequestHeaders().getFirst("X-Pql-Signature"),
                    exchange.getRequestHeaders().getFirst("X-Pql-Alert-Id")));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    synchronized void down() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    @Override
    public void close() {
        down();
    }

    static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
