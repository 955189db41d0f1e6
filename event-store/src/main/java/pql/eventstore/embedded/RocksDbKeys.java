package pql.eventstore.embedded;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import pql.v1.EventEnvelope;

/**
 * Binary layout of the embedded store's keys. Longs are big-endian so RocksDB's bytewise
 * order is numeric order; a NUL byte ends the stream id (stream ids never hold NUL).
 */
final class RocksDbKeys {

    private RocksDbKeys() {
    }

    static byte[] position(long position) {
        return ByteBuffer.allocate(Long.BYTES).putLong(position).array();
    }

    static long position(byte[] key) {
        return ByteBuffer.wrap(key).getLong();
    }

    /**
     * {@code streamId NUL firstVersion}: one entry per append, value = {@link #range} of the
     * positions its events got (consecutive versions always get consecutive positions).
     */
    static byte[] streamEntry(byte[] stream, long firstVersion) {
        return ByteBuffer.allocate(stream.length + 1 + Long.BYTES).put(stream).put((byte) 0).putLong(firstVersion).array();
    }

    static byte[] streamPrefix(byte[] stream) {
        return ByteBuffer.allocate(stream.length + 1).put(stream).put((byte) 0).array();
    }

    /** {@code firstPosition(long) count(int)}. */
    static byte[] range(long firstPosition, int count) {
        return ByteBuffer.allocate(Long.BYTES + Integer.BYTES).putLong(firstPosition).putInt(count).array();
    }

    static long rangeStart(byte[] range) {
        return ByteBuffer.wrap(range).getLong();
    }

    static int rangeCount(byte[] range) {
        return ByteBuffer.wrap(range).getInt(Long.BYTES);
    }

    /** {@code streamId NUL eventId}: the idempotency index, value = {@link #eventLocation}. */
    static byte[] eventId(byte[] stream, String eventId) {
        // Ids are ASCII in practice (ingest accepts no other characters): written straight into the
        // key, one array per event on the append path instead of two.
        byte[] key = new byte[stream.length + 1 + eventId.length()];
        for (int i = 0, at = stream.length + 1; i < eventId.length(); i++, at++) {
            char c = eventId.charAt(i);
            if (c >= 0x80) {
                return eventId(stream, eventId.getBytes(StandardCharsets.UTF_8));
            }
            key[at] = (byte) c;
        }
        System.arraycopy(stream, 0, key, 0, stream.length);
        return key;
    }

    private static byte[] eventId(byte[] stream, byte[] id) {
        byte[] key = new byte[stream.length + 1 + id.length];
        System.arraycopy(stream, 0, key, 0, stream.length);
        System.arraycopy(id, 0, key, stream.length + 1, id.length);
        return key;
    }

    static byte[] eventLocation(long version, long position) {
        return ByteBuffer.allocate(2 * Long.BYTES).putLong(version).putLong(position).array();
    }

    static long versionOfLocation(byte[] location) {
        return ByteBuffer.wrap(location).getLong();
    }

    static long positionOfLocation(byte[] location) {
        return ByteBuffer.wrap(location, Long.BYTES, Long.BYTES).getLong();
    }

    static int versionOffsetOf(byte[] logRecord) {
        return Integer.BYTES + ByteBuffer.wrap(logRecord).getInt();
    }

    /** The envelope of a {@link #logRecord}. */
    static EventEnvelope envelopeOf(byte[] record) {
        int offset = versionOffsetOf(record) + Long.BYTES;
        try {
            return EventEnvelope.parser().parseFrom(record, offset, record.length - offset);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt event record", e);
        }
    }

    /**
     * Log record: {@code streamIdLength(int) streamId version(long) envelope}, the envelope
     * serialized in place; the version is written when the record is put in a batch.
     */
    static byte[] logRecord(byte[] stream, EventEnvelope envelope) {
        int header = Integer.BYTES + stream.length + Long.BYTES;
        byte[] record = new byte[header + envelope.getSerializedSize()];
        ByteBuffer.wrap(record).putInt(stream.length).put(stream);
        CodedOutputStream output = CodedOutputStream.newInstance(record, header, record.length - header);
        try {
            envelope.writeTo(output);
            output.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new IllegalStateException("an envelope changed size while being encoded", e);
        }
        return record;
    }
}
