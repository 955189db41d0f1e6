package pql.eventstore;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.charset.StandardCharsets;
import pql.v1.EventEnvelope;

/**
 * One event of the global log as a replay reads it ({@link EventStore#readAllRecords}): where it sits, its
 * stream id and its envelope still serialized, as the engine keeps them. A consumer that needs a few fields
 * of millions of envelopes reads them straight from {@link #bytes()} instead of having every string,
 * timestamp and payload of each envelope built for it; {@link #envelope()} parses the whole envelope when
 * one is needed. Engines that hold parsed envelopes anyway hand them over as they are ({@link #of}), and
 * then {@link #hasEnvelopeBytes()} is false.
 *
 * <p>Immutable once built: the byte array is the record's own and nobody writes it.
 */
public final class LogRecord {

    private final long globalPosition;
    private final long streamVersion;
    private final byte[] bytes;
    private final int streamOffset;
    private final int streamLength;
    private final int envelopeOffset;
    private final int envelopeLength;
    private final StoredEvent parsed;

    private LogRecord(long globalPosition, long streamVersion, byte[] bytes, int streamOffset, int streamLength,
            int envelopeOffset, int envelopeLength, StoredEvent parsed) {
        this.globalPosition = globalPosition;
        this.streamVersion = streamVersion;
        this.bytes = bytes;
        this.streamOffset = streamOffset;
        this.streamLength = streamLength;
        this.envelopeOffset = envelopeOffset;
        this.envelopeLength = envelopeLength;
        this.parsed = parsed;
    }

    /**
     * A record over bytes the engine read: the stream id's UTF-8 bytes at {@code streamOffset} and the
     * serialized {@link EventEnvelope} at {@code envelopeOffset}, both in {@code bytes}.
     */
    public static LogRecord serialized(long globalPosition, long streamVersion, byte[] bytes, int streamOffset,
            int streamLength, int envelopeOffset, int envelopeLength) {
        return new LogRecord(globalPosition, streamVersion, bytes, streamOffset, streamLength, envelopeOffset,
                envelopeLength, null);
    }

    /** A record of an event an engine already parsed. */
    public static LogRecord of(StoredEvent event) {
        return new LogRecord(event.globalPosition(), event.streamVersion(), null, 0, 0, 0, 0, event);
    }

    public long globalPosition() {
        return globalPosition;
    }

    public long streamVersion() {
        return streamVersion;
    }

    /** Whether the envelope is at hand serialized ({@link #bytes()}); false: only {@link #envelope()}. */
    public boolean hasEnvelopeBytes() {
        return bytes != null;
    }

    /** The bytes holding the stream id and the serialized envelope; null unless {@link #hasEnvelopeBytes()}. */
    public byte[] bytes() {
        return bytes;
    }

    public int envelopeOffset() {
        return envelopeOffset;
    }

    public int envelopeLength() {
        return envelopeLength;
    }

    public String streamId() {
        return parsed != null ? parsed.streamId()
                : new String(bytes, streamOffset, streamLength, StandardCharsets.UTF_8);
    }

    /**
     * {@code streamId().hashCode()} (what Axon's segments test), without building the String when the id
     * is ASCII: then each byte is the char String's hash folds in.
     */
    public int streamHash() {
        if (parsed != null) {
            return parsed.streamId().hashCode();
        }
        int hash = 0;
        for (int i = streamOffset, end = streamOffset + streamLength; i < end; i++) {
            byte b = bytes[i];
            if (b < 0) {
                return streamId().hashCode();
            }
            hash = 31 * hash + b;
        }
        return hash;
    }

    /** Whether the stream id starts with {@code asciiPrefix} (ASCII only), without building the String. */
    public boolean streamStartsWith(String asciiPrefix) {
        if (parsed != null) {
            return parsed.streamId().startsWith(asciiPrefix);
        }
        int length = asciiPrefix.length();
        if (streamLength < length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (bytes[streamOffset + i] != asciiPrefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The whole envelope, parsed now (or as the engine handed it over). */
    public EventEnvelope envelope() {
        if (parsed != null) {
            return parsed.envelope();
        }
        try {
            return EventEnvelope.parser().parseFrom(bytes, envelopeOffset, envelopeLength);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt event at position " + globalPosition, e);
        }
    }

    /** The event as {@link EventStore#readAll} returns it. */
    public StoredEvent toStoredEvent() {
        return parsed != null ? parsed : new StoredEvent(streamId(), streamVersion, globalPosition, envelope());
    }
}
