package pql.scoring.app;

/**
 * A shadow projection replaying the whole log under a candidate version while the active one serves.
 * Wall-clock times here are for progress reporting only; scores never see them.
 */
final class Rescore {

    final int version;
    final ScoringProjection projection;
    final ProjectionEngine.Running running;
    final long startedAtMillis;
    final long eventsTotal;
    private volatile long caughtUpAtMillis = Long.MIN_VALUE;

    Rescore(int version, ScoringProjection projection, ProjectionEngine.Running running, long startedAtMillis,
            long eventsTotal) {
        this.version = version;
        this.projection = projection;
        this.running = running;
        this.startedAtMillis = startedAtMillis;
        this.eventsTotal = eventsTotal;
    }

    long eventsDone() {
        return Math.min(projection.processedPosition(), Math.max(eventsTotal, projection.processedPosition()));
    }

    /** Marks the rescore READY once the shadow reached the head the rescore started at. */
    boolean checkCaughtUp(long nowMillis) {
        if (caughtUpAtMillis == Long.MIN_VALUE && projection.processedPosition() >= eventsTotal) {
            caughtUpAtMillis = nowMillis;
        }
        return isReady();
    }

    boolean isReady() {
        return caughtUpAtMillis != Long.MIN_VALUE;
    }

    long caughtUpAtMillis() {
        return caughtUpAtMillis;
    }

    RescoreProgress progress(long nowMillis, DefinitionStatus status) {
        long done = Math.min(projection.processedPosition(), eventsTotal);
        long end = isReady() ? caughtUpAtMillis : nowMillis;
        double seconds = Math.max(0.001, (end - startedAtMillis) / 1000.0);
        double rate = done / seconds;
        double eta = isReady() || rate <= 0 ? 0 : (eventsTotal - done) / rate;
        return new RescoreProgress(version, status, done, eventsTotal, rate, eta, startedAtMillis,
                isReady() ? caughtUpAtMillis : Long.MIN_VALUE);
    }
}
