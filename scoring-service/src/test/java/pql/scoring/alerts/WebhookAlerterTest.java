package pql.scoring.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pql.scoring.domain.CommunicationLevel;
import pql.scoring.domain.Level;
import pql.scoring.domain.PqlKind;
import pql.scoring.domain.TransitionKind;
import pql.scoring.domain.score.PqlTransition;
import pql.scoring.testing.Await;

/** The webhook against a real local HTTP server that fails first and then accepts. */
class WebhookAlerterTest {

    private HttpServer server;
    private final AtomicInteger calls = new AtomicInteger();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private volatile int failuresLeft;
    private volatile int failureStatus = 503;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            calls.incrementAndGet();
            byte[] body = exchange.getRequestBody().readAllBytes();
            int status = failuresLeft-- > 0 ? failureStatus : 200;
            if (status == 200) {
                bodies.add(new String(body, StandardCharsets.UTF_8));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private WebhookAlerter alerter(int attempts) {
        return new WebhookAlerter(new WebhookAlerter.Options(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook"), 10, attempts,
                Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(2)));
    }

    private static PqlTransition becamePql(String account) {
        return new PqlTransition(account, TransitionKind.BECAME_PQL, 3, 1_767_225_600_000L, 42, 0,
                PqlKind.HAND_RAISER.bit(), Level.MEDIUM, Level.HIGH, CommunicationLevel.ACTIVE, Level.LOW, Level.HIGH,
                CommunicationLevel.ACTIVE, "Acme", "alice", 0.5, 120, null, false);
    }

    @Test
    void retriesWithBackoffUntilTheHookAccepts() throws Exception {
        failuresLeft = 2;
        try (WebhookAlerter alerter = alerter(5)) {
            alerter.offer(becamePql("acme"));
            Await.until("delivered", () -> alerter.delivered() == 1);
            assertThat(calls.get()).isEqualTo(3);
            assertThat(alerter.attempts()).isEqualTo(3);
            assertThat(alerter.failed()).isZero();
        }
        JsonNode payload = new ObjectMapper().readTree(bodies.get(0));
        assertThat(payload.get("text").asText()).isEqualTo(":tada: Acme (acme) became a PQL: [HAND_RAISER] — owner alice");
        assertThat(payload.get("blocks").get(0).get("type").asText()).isEqualTo("section");
        assertThat(payload.get("blocks").get(1).get("elements").get(0).get("text").asText())
                .contains("definition v3");
    }

    @Test
    void givesUpAfterTheLastAttemptAndDoesNotRetryAClientError() {
        failuresLeft = 100;
        try (WebhookAlerter alerter = alerter(3)) {
            alerter.offer(becamePql("a"));
            Await.until("given up", () -> alerter.failed() == 1);
            assertThat(calls.get()).isEqualTo(3);
        }
        calls.set(0);
        failureStatus = 400;
        try (WebhookAlerter alerter = alerter(3)) {
            alerter.offer(becamePql("b"));
            Await.until("refused", () -> alerter.failed() == 1);
            assertThat(calls.get()).isEqualTo(1);
        }
    }

    @Test
    void aFullQueueDropsAlertsInsteadOfBlocking() {
        failuresLeft = 1_000;
        try (WebhookAlerter alerter = alerter(1_000)) {
            long started = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                alerter.offer(becamePql("acct-" + i));
            }
            assertThat(alerter.dropped()).isGreaterThanOrEqualTo(100 - 10 - 1);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("offers never wait for the network")
                    .isLessThan(Duration.ofSeconds(1));
        }
    }
}
