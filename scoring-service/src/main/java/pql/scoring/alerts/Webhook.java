package pql.scoring.alerts;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Where alert bodies are POSTed; an interface so the dispatcher can be tested without a network. */
public interface Webhook {

    String SIGNATURE_HEADER = "X-Pql-Signature";
    String ALERT_ID_HEADER = "X-Pql-Alert-Id";

    /** What the receiver answered: an HTTP status (0 when unreachable), its Retry-After, or the error. */
    record Answer(int status, Optional<Duration> retryAfter, String error) {
        public boolean delivered() {
            return status >= 200 && status < 300;
        }
    }

    Answer post(String url, String body, String secret, String alertId);

    /** {@code sha256=} and the hex HMAC-SHA256 of the body's UTF-8 bytes, keyed with the secret's UTF-8 bytes. */
    static String signature(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Over java.net.http: JSON body, the two headers, a timeout; the response body is not read. */
    final class Http implements Webhook {
        private final HttpClient client;
        private final Duration timeout;
        private final java.time.Clock clock;

        public Http(Duration timeout, java.time.Clock clock) {
            this.timeout = timeout;
            this.clock = clock;
            this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
        }

        @Override
        public Answer post(String url, String body, String secret, String alertId) {
            try {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                        .header("Content-Type", "application/json")
                        .header(SIGNATURE_HEADER, signature(secret, body))
                        .header(ALERT_ID_HEADER, alertId)
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                        HttpResponse.BodyHandlers.discarding());
                int status = response.statusCode();
                return new Answer(status, RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null),
                        clock.millis()), status >= 200 && status < 300 ? "" : "HTTP " + status);
            } catch (IOException e) {
                return new Answer(0, Optional.empty(), e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            } catch (IllegalArgumentException e) {
                return new Answer(0, Optional.empty(), "bad URL: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Answer(0, Optional.empty(), "interrupted");
            }
        }
    }
}
