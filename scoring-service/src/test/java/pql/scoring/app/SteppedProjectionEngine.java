package pql.scoring.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import pql.eventstore.EventStore;
import pql.eventstore.StoredEvent;
import pql.eventstore.StreamVersions;

/**
 * A fake {@link ProjectionEngine} that feeds projections from the real store on the test's thread,
 * when the test says so: a rescore stays REPLAYING exactly as long as a test needs it to. Every
 * projection holds one segment with every account, as a single process does.
 */
final class SteppedProjectionEngine implements ProjectionEngine {

    private static final int PAGE = 500;

    private final EventStore store;
    private final Map<String, Feed> running = new LinkedHashMap<>();
    private final TreeSet<String> remembered = new TreeSet<>();
    private boolean holdNewProjections;

    SteppedProjectionEngine(EventStore store) {
        this.store = store;
    }

    /** While held, projections started from now on read nothing until {@link #catchUp()}. */
    void holdNewProjections(boolean hold) {
        this.holdNewProjections = hold;
    }

    /** Feeds every running projection up to the head of the log. */
    void catchUp() {
        List.copyOf(running.values()).forEach(Feed::catchUp);
    }

    boolean isRunning(String name) {
        return running.containsKey(name);
    }

    /** As if an earlier process had left checkpoints for {@code name}. */
    void rememberCheckpointsOf(String name) {
        remembered.add(name);
    }

    @Override
    public Running start(ScoringProjection projection, String name, Mode mode) {
        projection.expectSegments(() -> 1);
        projection.holdSegment(0, 0);
        Feed feed = new Feed(projection, name);
        running.put(name, feed);
        if (mode == Mode.DURABLE) {
            remembered.add(name);
        }
        if (!holdNewProjections) {
            feed.catchUp();
        }
        return feed;
    }

    @Override
    public long headPosition() {
        return store.headPosition();
    }

    @Override
    public void forget(String name) {
        remembered.remove(name);
    }

    @Override
    public List<String> remembered() {
        return new ArrayList<>(remembered);
    }

    private final class Feed implements Running {
        private final ScoringProjection projection;
        private final String name;
        private long readUpTo = StreamVersions.BEFORE_FIRST_POSITION;

        Feed(ScoringProjection projection, String name) {
            this.projection = projection;
            this.name = name;
        }

        void catchUp() {
            List<StoredEvent> page;
            do {
                page = store.readAll(readUpTo, PAGE);
                for (StoredEvent event : page) {
                    projection.apply(event);
                    readUpTo = event.globalPosition();
                }
                projection.recordSegmentPosition(0, readUpTo);
            } while (page.size() == PAGE);
        }

        @Override
        public void stop() {
            running.remove(name);
        }

        @Override
        public void discard() {
            running.remove(name);
            remembered.remove(name);
        }
    }
}
