package pql.eventstore.embedded;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

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

    /** {@code streamId NUL version}: one entry per event of a stream, value = global position. */
    static byte[] streamEntry(String streamId, long version) {
        byte[] stream = streamId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(stream.length + 1 + Long.BYTES).put(stream).put((byte) 0).putLong(version).array();
    }

    static byte[] streamPrefix(String streamId) {
        byte[] stream = streamId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(stream.length + 1).put(stream).put((byte) 0).array();
    }


    /** The stream id alone: key of the stream's current version. */
    static byte[] streamHead(String streamId) {
        return streamId.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code streamId NUL eventId}: the idempotency index, value = {@link #eventLocation}. */
    static byte[] eventId(String streamId, String eventId) {
        byte[] stream = streamId.getBytes(StandardCharsets.UTF_8);
        byte[] id = eventId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(stream.length + 1 + id.length).put(stream).put((byte) 0).put(id).array();
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

    /** Log record: {@code streamIdLength(int) streamId version(long) envelope}. */
    static byte[] logRecord(String streamId, long version, byte[] envelope) {
        byte[] stream = streamId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(Integer.BYTES + stream.length + Long.BYTES + envelope.length)
                .putInt(stream.length).put(stream).putLong(version).put(envelope).array();
    }
}
