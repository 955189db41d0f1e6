package pql.scoring.app;

/**
 * Whether the serving projection may answer reads. After a (re)start its segments come back one by
 * one, each when the processor claims it and loads its checkpoint, then replays what followed the
 * checkpoint; until every segment it should hold is back and has applied the log up to the head
 * recorded when the service started (so at least up to where it stood at shutdown), an answer
 * would leave out or understate some accounts. So: not ready until then, ready from then on.
 *
 * <p>Ready is latched: once reached it stays for the life of the projection (a segment handed
 * between processes later on is lag, watched by the health check's lag threshold, not a restart).
 * The first time the condition holds, the engagement percentiles are rebuilt over every account
 * before anyone can read them. Reads after that cost one volatile read.
 */
public final class ProjectionReadiness {

    /** Where readiness stands, with a sentence for health checks and UNAVAILABLE answers. */
    public record Status(boolean ready, String message) {
    }

    private final ScoringProjection projection;
    private final long target;
    private volatile boolean ready;

    /**
     * @param target the log head when the service started (or the position a promoted projection had
     *     reached): every segment must have applied the log up to it
     */
    public ProjectionReadiness(ScoringProjection projection, long target) {
        this.projection = projection;
        this.target = target;
    }

    /** The cheap question, for every read: a volatile read once ready. */
    public boolean isReady() {
        return ready || check().ready();
    }

    /** Looks at the segments now (unless already ready) and says where they stand. */
    public Status check() {
        ScoringProjection.SegmentProgress progress = projection.segmentProgress(target);
        if (!ready && progress.complete()) {
            synchronized (this) {
                if (!ready) {
                    // a view built while only some segments were back is not served again: restoring the
                    // others changed the projection, and views are rebuilt on any change
                    ready = true;
                }
            }
        }
        return new Status(ready, describe(progress));
    }

    public long target() {
        return target;
    }

    private String describe(ScoringProjection.SegmentProgress progress) {
        int expected = Math.max(1, progress.expected());
        String counts = Math.min(progress.caughtUp(), expected) + " of " + expected + " segments caught up to position "
                + target;
        if (ready) {
            return "definition v" + projection.version() + " ready: " + counts;
        }
        StringBuilder text = new StringBuilder("definition v").append(projection.version()).append(" restoring: ")
                .append(counts).append(" (the log head at start)");
        int notBack = expected - progress.restored();
        if (notBack > 0) {
            text.append("; ").append(notBack).append(notBack == 1 ? " segment" : " segments")
                    .append(" not claimed or restored yet");
        }
        if (progress.restored() > 0 && progress.slowest() < target) {
            text.append("; the slowest is at position ").append(progress.slowest());
        }
        return text.append("; reads answer UNAVAILABLE until all are").toString();
    }
}
