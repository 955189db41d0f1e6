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
import pql.eventstore.LogCursor;
import pql.eventstore.StoredEvent;

/** A {@link LogCursor} seen as Axon's {@link BlockingStream} of tracked messages. */
final class EventLogStream implements BlockingStream<TrackedEventMessage<?>> {

    private final LogCursor cursor;

    EventLogStream(LogCursor cursor) {
        this.cursor = cursor;
    }

    @Override
    public Optional<TrackedEventMessage<?>> peek() {
        return cursor.peek().map(EventLogStream::toMessage);
    }

    @Override
    public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
        return cursor.hasNextAvailable(timeout, unit);
    }

    @Override
    public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
        return toMessage(cursor.nextAvailable());
    }

    @Override
    public void close() {
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
