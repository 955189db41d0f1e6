package pql.scoring.axon;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.StreamableMessageSource;
import pql.eventstore.EventStore;
import pql.eventstore.StoredEvent;
import pql.processing.EventLogMessageSource;

/**
 * The event log as a stream of {@link LogChunk} messages. Reads through {@link EventLogMessageSource}
 * (same tracking tokens: global positions), groups the events available right now into chunks of
 * at most {@code maxChunk}, and tells Axon as soon as new events are appended
 * ({@link BlockingStream#setOnAvailableCallback}) so that a caught-up processor reacts in
 * milliseconds instead of polling every 500 ms.
 */
public final class ChunkedLogMessageSource implements StreamableMessageSource<TrackedEventMessage<?>> {

    private final EventLogMessageSource log;
    private final EventStore store;
    private final int maxChunk;

    public ChunkedLogMessageSource(EventStore store, int maxChunk) {
        if (maxChunk < 1) {
            throw new IllegalArgumentException("chunks hold at least one event");
        }
        this.store = store;
        this.log = new EventLogMessageSource(store);
        this.maxChunk = maxChunk;
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
        return new ChunkingStream(log.openStream(trackingToken), store, EventLogMessageSource.positionOf(trackingToken),
                maxChunk);
    }

    @Override
    public TrackingToken createTailToken() {
        return log.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return log.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return log.createTokenAt(dateTime);
    }

    private static final class ChunkingStream implements BlockingStream<TrackedEventMessage<?>> {

        private final BlockingStream<TrackedEventMessage<?>> events;
        private final EventStore store;
        private final int maxChunk;
        private final Object progress = new Object();
        private volatile long delivered;
        private volatile boolean closed;
        private TrackedEventMessage<?> peeked;
        private Thread watcher;

        ChunkingStream(BlockingStream<TrackedEventMessage<?>> events, EventStore store, long from, int maxChunk) {
            this.events = events;
            this.store = store;
            this.delivered = from;
            this.maxChunk = maxChunk;
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            if (peeked == null && hasNextNow()) {
                peeked = readChunk();
            }
            return Optional.ofNullable(peeked);
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            return peeked != null || events.hasNextAvailable(timeout, unit);
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            if (peeked != null) {
                TrackedEventMessage<?> next = peeked;
                peeked = null;
                return next;
            }
            return readChunk(events.nextAvailable());
        }

        private boolean hasNextNow() {
            try {
                return events.hasNextAvailable(0, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        private TrackedEventMessage<?> readChunk() {
            try {
                return readChunk(events.nextAvailable());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading the log", e);
            }
        }

        private TrackedEventMessage<?> readChunk(TrackedEventMessage<?> first) throws InterruptedException {
            List<StoredEvent> chunk = new ArrayList<>(Math.min(maxChunk, 256));
            chunk.add((StoredEvent) first.getPayload());
            TrackingToken token = first.trackingToken();
            while (chunk.size() < maxChunk && hasNextNow()) {
                TrackedEventMessage<?> next = events.nextAvailable();
                chunk.add((StoredEvent) next.getPayload());
                token = next.trackingToken();
            }
            LogChunk payload = new LogChunk(chunk);
            delivered = payload.lastPosition();
            synchronized (progress) {
                progress.notifyAll();
            }
            return new GenericTrackedEventMessage<>(token, new GenericEventMessage<>(
                    "chunk-" + payload.firstPosition() + "-" + payload.lastPosition(), payload, Map.of(),
                    first.getTimestamp()));
        }

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            watcher = new Thread(() -> watch(callback), "scoring-log-watcher");
            watcher.setDaemon(true);
            watcher.start();
            return true;
        }

        /** Wakes the processor when events past the last delivered one exist. */
        private void watch(Runnable callback) {
            try {
                while (!closed) {
                    long seen = delivered;
                    if (store.awaitAfter(seen, Duration.ofSeconds(1)) && !closed) {
                        callback.run();
                        synchronized (progress) {
                            // until the processor took them; re-notify now and then in case it was busy
                            if (delivered == seen && !closed) {
                                progress.wait(100);
                            }
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                // the store went away: the processor notices on its next read
            }
        }

        @Override
        public void close() {
            closed = true;
            if (watcher != null) {
                watcher.interrupt();
            }
            events.close();
        }
    }
}
