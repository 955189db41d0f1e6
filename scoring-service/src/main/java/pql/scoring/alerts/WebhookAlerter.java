package pql.scoring.alerts;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pql.scoring.app.AlertSink;
import pql.scoring.domain.score.PqlTransition;

/**
 * Posts PQL transitions to a Slack-compatible webhook on a thread of its own. The projection only
 * drops a transition into a bounded queue (never waits: when the queue is full the alert is dropped
 * and counted). Failed posts (I/O errors, 429, 5xx) are retried with exponential backoff; other
 * answers (a 4xx: the request itself is wrong) are not.
 */
public final class WebhookAlerter implements AlertSink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookAlerter.class);

    /** How the alerter behaves; see ScoringSettings.alerts for the defaults. */
    public record Options(URI url, int queueCapacity, int maxAttempts, Duration initialBackoff, Duration maxBackoff,
            Duration timeout) {
    }

    private final Options options;
    private final HttpClient client;
    private final BlockingQueue<PqlTransition> queue;
    private final Thread sender;
    private final LongAdder delivered = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder attempts = new LongAdder();
    private volatile boolean running = true;

    public WebhookAlerter(Options options) {
        this.options = options;
        this.client = HttpClient.newBuilder().connectTimeout(options.timeout()).build();
        this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
        this.sender = new Thread(this::sendLoop, "scoring-webhook");
        this.sender.setDaemon(true);
        this.sender.start();
    }

    @Override
    public void offer(PqlTransition transition) {
        if (!queue.offer(transition)) {
            dropped.increment();
            if (dropped.sum() % 1000 == 1) {
                LOG.warn("webhook queue full: {} alerts dropped so far", dropped.sum());
            }
        }
    }

    private void sendLoop() {
        while (running) {
            PqlTransition next;
            try {
                next = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (next != null) {
                deliver(next);
            }
        }
    }

    private void deliver(PqlTransition transition) {
        String body = SlackMessages.payload(transition);
        long backoff = options.initialBackoff().toMillis();
        for (int attempt = 1; attempt <= options.maxAttempts() && running; attempt++) {
            attempts.increment();
            try {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(options.url())
                        .timeout(options.timeout())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    delivered.increment();
                    return;
                }
                if (status != 429 && status < 500) {
                    LOG.warn("webhook refused an alert for {} with HTTP {}; not retrying", transition.accountId(), status);
                    failed.increment();
                    return;
                }
                LOG.info("webhook answered HTTP {} (attempt {} of {})", status, attempt, options.maxAttempts());
            } catch (IOException e) {
                LOG.info("webhook unreachable (attempt {} of {}): {}", attempt, options.maxAttempts(), e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (attempt < options.maxAttempts()) {
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException e) {
                    return;
                }
                backoff = Math.min(backoff * 2, options.maxBackoff().toMillis());
            }
        }
        failed.increment();
        LOG.warn("gave up on an alert for {} after {} attempts", transition.accountId(), options.maxAttempts());
    }

    public long delivered() {
        return delivered.sum();
    }

    public long failed() {
        return failed.sum();
    }

    public long dropped() {
        return dropped.sum();
    }

    public long attempts() {
        return attempts.sum();
    }

    public int queued() {
        return queue.size();
    }

    @Override
    public void close() {
        running = false;
        sender.interrupt();
    }
}
