package pql.scoring.app;

/** Runs projections over the event log (implemented with Axon processors). */
public interface ProjectionEngine {

    enum Mode {
        /** Serving or shadow projection of a version: checkpointed, resumes after a restart. */
        DURABLE,
        /** Built for one request (as-of exports): no checkpoints, discarded afterwards. */
        TEMPORARY
    }

    /** Starts feeding {@code projection} from the log under the processor name {@code name}. */
    Running start(ScoringProjection projection, String name, Mode mode);

    /** Position of the newest event of the log. */
    long headPosition();

    /** Deletes what a durable projection left behind (checkpoints) for processor {@code name}. */
    void forget(String name);

    /** Processor names that left checkpoints behind. */
    java.util.List<String> remembered();

    interface Running {
        /** Stops, checkpointing the state first. */
        void stop();

        /** Stops and forgets the checkpoints: the projection's state is gone. */
        void discard();
    }

    static String nameOf(int version) {
        return "scoring-v" + version;
    }
}
