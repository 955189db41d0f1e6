package pql.scoring.alerts;

import java.time.Duration;
import java.util.Optional;

/**
 * When a subscription may post next, and what to do with an alert its receiver refused: the
 * delivery policy, on plain milliseconds so it can be tested without a clock or a network.
 *
 * <ul>
 *   <li>Rate limit: POSTs start at least {@code minInterval} apart (1 s: what Slack accepts per webhook).
 *   <li>Failure (I/O error, timeout, any non-2xx): the same alert is tried again after the receiver's
 *       {@code Retry-After} when it sent one, else after an exponential backoff (initial, doubling, capped);
 *       never sooner than the rate limit allows. Later alerts wait behind it: order is kept.
 *   <li>Parking: an alert that fails while it has been pending for {@code parkAfter} or longer is parked
 *       (counted, kept in the journal, not tried again) and the next one gets its turn.
 * </ul>
 */
public final class DeliverySchedule {

    public record Policy(Duration minInterval, Duration initialBackoff, Duration maxBackoff, Duration parkAfter) {

        public Policy {
            if (minInterval.isNegative() || initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0
                    || parkAfter.isNegative() || parkAfter.isZero()) {
                throw new IllegalArgumentException("alert delivery policy out of range: " + this);
            }
        }

        /** {@code ratePerSecond} POSTs per second at most. */
        public static Policy of(double ratePerSecond, Duration initialBackoff, Duration maxBackoff, Duration parkAfter) {
            if (!(ratePerSecond > 0)) {
                throw new IllegalArgumentException("ratePerSecond must be > 0, was " + ratePerSecond);
            }
            return new Policy(Duration.ofNanos((long) (1_000_000_000L / ratePerSecond)), initialBackoff, maxBackoff,
                    parkAfter);
        }
    }

    public enum Verdict { RETRY, PARK }

    private final Policy policy;
    private long nextAttemptAt = Long.MIN_VALUE;
    private long lastStartedAt = Long.MIN_VALUE;
    private int failures;
    private long failingSince = -1;
    private String lastError = "";

    public DeliverySchedule(Policy policy) {
        this.policy = policy;
    }

    /** The earliest instant (epoch ms) the next POST may start. */
    public long nextAttemptAt() {
        return nextAttemptAt;
    }

    public boolean mayPostAt(long nowMillis) {
        return nowMillis >= nextAttemptAt;
    }

    /** A POST starts now: the rate limit counts from here. */
    public void started(long nowMillis) {
        lastStartedAt = nowMillis;
        nextAttemptAt = nowMillis + policy.minInterval().toMillis();
    }

    /** The receiver took it: the next alert goes as soon as the rate limit allows. */
    public void delivered() {
        failures = 0;
        failingSince = -1;
        lastError = "";
        nextAttemptAt = lastStartedAt + policy.minInterval().toMillis();
    }

    /**
     * The receiver refused (or could not be reached).
     *
     * @param pendingSince when the alert became pending (epoch ms)
     * @param retryAfter the receiver's Retry-After, if any
     */
    public Verdict failed(long nowMillis, long pendingSince, Optional<Duration> retryAfter, String error) {
        lastError = error == null ? "" : error;
        if (failingSince < 0) {
            failingSince = nowMillis;
        }
        if (nowMillis - pendingSince >= policy.parkAfter().toMillis()) {
            failures = 0;
            // the receiver is still failing: the next alert starts after a backoff too
            nextAttemptAt = Math.max(nextAttemptAt, nowMillis + policy.initialBackoff().toMillis());
            return Verdict.PARK;
        }
        failures++;
        long wait = retryAfter.map(Duration::toMillis).orElseGet(() -> backoff(failures));
        nextAttemptAt = Math.max(lastStartedAt + policy.minInterval().toMillis(), nowMillis + wait);
        return Verdict.RETRY;
    }

    /** initial x 2^(failures-1), capped at maxBackoff. */
    long backoff(int failureCount) {
        long initial = policy.initialBackoff().toMillis();
        long max = policy.maxBackoff().toMillis();
        long wait = initial;
        for (int i = 1; i < failureCount && wait < max; i++) {
            wait *= 2;
        }
        return Math.min(wait, max);
    }

    /** Since when the receiver keeps failing (epoch ms), or -1 while it answers. */
    public long failingSince() {
        return failingSince;
    }

    public String lastError() {
        return lastError;
    }
}
