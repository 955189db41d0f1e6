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
import com.google.protobuf.Timestamp;
import pql.eventstore.EventStore;
import pql.eventstore.LogCursor;
import pql.eventstore.StoredEvent;
import pql.processing.EventLogMessageSource;

/**
 * The event log as a stream of {@link LogChunk} messages, with {@link EventLogMessageSource}'s tracking
 * tokens (global positions) so Axon's token stores and processors see the same log. The events come
 * from the same store cursor the event-processing source uses ({@link EventStore#openAll}), grouped
 * into chunks of at most {@code maxChunk} events available right now; skipping the per-event Axon
 * message that would be unwrapped at once is a large share of the reading thread's work at a million
 * events per second. Axon is told as soon as new events are appended
 * ({@link BlockingStream#setOnAvailableCallback}), so a caught-up processor reacts in milliseconds
 * instead of polling every 500 ms.
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
        long position = EventLogMessageSource.positionOf(trackingToken);
        return new ChunkingStream(store.openAll(position), store, position, maxChunk);
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

        private final LogCursor cursor;
        private final EventStore store;
        private final int maxChunk;
        private final Object progress = new Object();
        private volatile long delivered;
        private volatile boolean closed;
        private TrackedEventMessage<?> peeked;
        private Thread watcher;

        ChunkingStream(LogCursor cursor, EventStore store, long from, int maxChunk) {
            this.cursor = cursor;
            this.store = store;
            this.delivered = from;
            this.maxChunk = maxChunk;
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            if (peeked == null && cursor.peek().isPresent()) {
                peeked = readChunk();
            }
            return Optional.ofNullable(peeked);
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            return peeked != null || cursor.hasNextAvailable(timeout, unit);
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            if (peeked != null) {
                TrackedEventMessage<?> next = peeked;
                peeked = null;
                return next;
            }
            cursor.hasNextAvailable(Integer.MAX_VALUE, TimeUnit.MILLISECONDS);
            return readChunk();
        }

        private TrackedEventMessage<?> readChunk() {
            List<StoredEvent> chunk = new ArrayList<>(Math.min(maxChunk, 1024));
            try {
                chunk.add(cursor.nextAvailable());
                while (chunk.size() < maxChunk && cursor.peek().isPresent()) {
                    chunk.add(cursor.nextAvailable());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading the log", e);
            }
            LogChunk payload = new LogChunk(chunk);
            delivered = payload.lastPosition();
            synchronized (progress) {
                progress.notifyAll();
            }
            StoredEvent first = chunk.get(0);
            Timestamp occurred = first.envelope().getOccurredAt();
            return new GenericTrackedEventMessage<>(EventLogMessageSource.tokenAt(payload.lastPosition()),
                    new GenericEventMessage<>("chunk-" + payload.firstPosition() + "-" + payload.lastPosition(), payload,
                            Map.of(), Instant.ofEpochSecond(occurred.getSeconds(), occurred.getNanos())));
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
            cursor.close();
        }
    }
}
