package pql.scoring.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A local webhook receiver: records every POST (body and headers) and answers {@link #status}. */
public final class HttpReceiver implements AutoCloseable {

    public record Post(String path, String body, String signature, String alertId) {
    }

    public final List<Post> posts = new CopyOnWriteArrayList<>();
    public final AtomicInteger status = new AtomicInteger(200);
    private final HttpServer server;

    public HttpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            posts.add(new Post(exchange.getRequestURI().getPath(), body,
                    exchange.getRequestHeaders().getFirst("X-Pql-Signature"),
                    exchange.getRequestHeaders().getFirst("X-Pql-Alert-Id")));
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
