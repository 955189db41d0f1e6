package pql.eventstore.kurrentdb;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.kurrent.dbclient.EventData;
import io.kurrent.dbclient.EventDataBuilder;
import io.kurrent.dbclient.RecordedEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.UUID;
import pql.eventstore.StoredEvent;
import pql.v1.EventEnvelope;

/**
 * How an {@link EventEnvelope} is kept in KurrentDB.
 *
 * <ul>
 *   <li>event type = the envelope's type (the payload's proto name), data = the payload bytes, so
 *       KurrentDB's own tools (projections, the UI's type column) see meaningful events;
 *   <li>metadata = the rest of the envelope (the envelope with its payload cleared, protobuf);
 *   <li>event id = a name-based UUID of (stream, our event id): KurrentDB wants UUIDs, ours are
 *       strings, and a deterministic one makes a retried write the same write to the server too.
 * </ul>
 *
 * <p>An event is "ours" when all of it agrees: binary content, metadata that parses as an envelope
 * with an event id, that id's UUID equal to the stored event id, and the same type. Anything else
 * in $all (system events, other applications' events) is skipped by every read.
 */
final class EventMapping {

    static final String CONTENT_TYPE = "application/octet-stream";

    /** Namespace of our name-based UUIDs (RFC 4122 version 5); fixed forever, stored ids depend on it. */
    private static final UUID NAMESPACE = UUID.fromString("6f1c2f1e-3a0b-5d4e-9c8f-70716c2d6576");

    private EventMapping() {
    }

    /**
     * The client adds trace ids to the metadata of events it appends while a sampled span is
     * current, but only to metadata that parses as a JSON object: protobuf bytes starting with
     * the event id's tag (a newline) and its length byte never do, unless an id is exactly 123
     * bytes long (length byte '{') and reads as JSON itself.
     */
    static EventData toEventData(String streamId, EventEnvelope envelope) {
        byte[] metadata = envelope.toBuilder().clearPayload().build().toByteArray();
        return EventDataBuilder.binary(eventUuid(streamId, envelope.getEventId()), envelope.getType(),
                        envelope.getPayload().toByteArray())
                .metadataAsBytes(metadata)
                .build();
    }

    /**
     * The stored event, or empty when the record is not one of ours. Streams cannot contain a NUL,
     * so (stream, NUL, event id) names every event unambiguously.
     */
    static Optional<StoredEvent> toStoredEvent(RecordedEvent recorded) {
        String streamId = recorded.getStreamId();
        String type = recorded.getEventType();
        if (streamId.startsWith("$") || type == null || type.startsWith("$")
                || !CONTENT_TYPE.equals(recorded.getContentType())) {
            return Optional.empty();
        }
        EventEnvelope metadata;
        try {
            metadata = EventEnvelope.parseFrom(recorded.getUserMetadata());
        } catch (InvalidProtocolBufferException notOurs) {
            return Optional.empty();
        }
        if (metadata.getEventId().isEmpty() || !metadata.getType().equals(type)
                || !eventUuid(streamId, metadata.getEventId()).equals(recorded.getEventId())) {
            return Optional.empty();
        }
        EventEnvelope envelope = metadata.toBuilder().setPayload(ByteString.copyFrom(recorded.getEventData())).build();
        return Optional.of(new StoredEvent(streamId, recorded.getRevision(), positionOf(recorded), envelope));
    }

    /**
     * The commit position of an event. KurrentDB's writer marks every appended event as committing
     * itself, so events read from a stream carry their position too, as events read from $all do;
     * a server that sends none (one writing separate commit records) cannot serve this store.
     */
    static long positionOf(RecordedEvent recorded) {
        long position = recorded.getPosition().getCommitUnsigned();
        if (position < 0) {
            throw new IllegalStateException("the server sent no position for event " + recorded.getRevision() + " of "
                    + recorded.getStreamId() + ": this KurrentDB / EventStoreDB version is not supported");
        }
        return position;
    }

    static UUID eventUuid(String streamId, String eventId) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
        sha1.update(ByteBuffer.allocate(16)
                .putLong(NAMESPACE.getMostSignificantBits())
                .putLong(NAMESPACE.getLeastSignificantBits())
                .array());
        sha1.update(streamId.getBytes(StandardCharsets.UTF_8));
        sha1.update((byte) 0);
        byte[] hash = sha1.digest(eventId.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50); // version 5
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // IETF variant
        ByteBuffer bits = ByteBuffer.wrap(hash, 0, 16);
        return new UUID(bits.getLong(), bits.getLong());
    }
}
