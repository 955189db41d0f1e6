package pql.processing;

import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import pql.eventstore.EventStore;
import pql.eventstore.LogCursor;
import pql.eventstore.StoredEvent;

/**
 * A {@link LogCursor} seen as Axon's {@link BlockingStream} of tracked messages. A caught-up processor is
 * woken as soon as events are appended (see {@link LogWatcher}).
 */
final class EventLogStream implements BlockingStream<TrackedEventMessage<?>> {

    private final LogCursor cursor;
    private final EventStore store;
    private LogWatcher watcher;

    EventLogStream(LogCursor cursor, EventStore store) {
        this.cursor = cursor;
        this.store = store;
    }

    @Override
    public Optional<TrackedEventMessage<?>> peek() {
        return cursor.peek().map(EventLogStream::toMessage);
    }

    @Override
    public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
        boolean available = cursor.hasNextAvailable(timeout, unit);
        if (watcher != null) {
            if (available) {
                watcher.disarm();
            } else {
                watcher.arm(cursor.position());
            }
        }
        return available;
    }

    @Override
    public boolean setOnAvailableCallback(Runnable callback) {
        if (watcher != null) {
            watcher.close();
        }
        watcher = new LogWatcher(store, callback, "event-log-watcher");
        return true;
    }

    @Override
    public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
        return toMessage(cursor.nextAvailable());
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.close();
        }
        cursor.close();
    }

    static TrackedEventMessage<StoredEvent> toMessage(StoredEvent event) {
        Timestamp occurred = event.envelope().getOccurredAt();
        // The identifier is unique per stored event: ids are only unique within their stream.
        GenericEventMessage<StoredEvent> message = new GenericEventMessage<>(
                event.streamId() + "/" + event.envelope().getEventId(), event, Map.of(),
                Instant.ofEpochSecond(occurred.getSeconds(), occurred.getNanos()));
        return new GenericTrackedEventMessage<>(EventLogMessageSource.tokenAt(event.globalPosition()), message);
    }
}
