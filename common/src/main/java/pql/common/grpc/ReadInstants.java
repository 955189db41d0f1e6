package pql.common.grpc;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The instants a read may be asked about: an evaluation instant ({@code as_of}) or a knowledge
 * instant ({@code known_at}) must not be in the future. A future {@code as_of} would extrapolate
 * decay and windows into time nobody has seen yet, and a future {@code known_at} would promise an
 * answer that later events can still change. A small allowance covers clocks that disagree.
 */
public final class ReadInstants {

    /**
     * Clock skew allowed between a client and the server: an instant up to this much after the
     * server's clock is accepted (the same five minutes ingest allows for an event's occurred_at).
     */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private ReadInstants() {
    }

    /**
     * Why {@code epochMillis} cannot be read about, or null when it can: the field violation's
     * description when it is later than the server's clock plus {@link #CLOCK_SKEW}.
     */
    public static String futureProblem(long epochMillis, Clock clock) {
        Instant now = clock.instant();
        Instant latest = now.plus(CLOCK_SKEW);
        if (epochMillis <= latest.toEpochMilli()) {
            return null;
        }
        return "is in the future: " + Instant.ofEpochMilli(epochMillis) + " is after the server's clock (" + now
                + ") plus the " + CLOCK_SKEW.toMinutes() + " minutes of clock skew allowed";
    }
}
