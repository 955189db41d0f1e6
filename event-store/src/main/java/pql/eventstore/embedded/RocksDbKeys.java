package pql.eventstore.embedded;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import pql.eventstore.LogRecord;
import pql.eventstore.StoredEvent;
import pql.v1.EventEnvelope;

/**
 * Binary layout of the embedded store's keys. Longs are big-endian so RocksDB's bytewise
 * order is numeric order; a NUL byte ends the stream id (stream ids never hold NUL).
 *
 * <p>A stream's range entries and its idempotency entries share one column family, under the
 * same {@code streamId NUL} prefix and told apart by a tag byte: an append's index entries are
 * then neighbours, and the second memtable insert of an append walks the nodes the first one has
 * just brought into the CPU's cache (two random-key inserts into two skip lists cost the committer
 * most of its time when every append is a different stream).
 */
final class RocksDbKeys {

    /** The record header's fields read in place (a ByteBuffer per record was a sixth of a replay's allocation). */
    private static final java.lang.invoke.VarHandle BIG_ENDIAN_INT =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.BIG_ENDIAN);
    private static final java.lang.invoke.VarHandle BIG_ENDIAN_LONG =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);

    /**
     * Tag of a stream's marker, {@code streamId NUL STREAM_TAG} with an empty value, written with the
     * stream's first append: the family's bloom filters then tell a stream never written without the
     * seek its last range entry would take.
     */
    static final byte STREAM_TAG = 0;
    /** Tag of a stream-range entry, after {@code streamId NUL}. */
    static final byte RANGE_TAG = 1;
    /** Tag of an idempotency entry, after {@code streamId NUL}. */
    static final byte ID_TAG = 2;

    private RocksDbKeys() {
    }

    static byte[] position(long position) {
        return ByteBuffer.allocate(Long.BYTES).putLong(position).array();
    }

    static long position(byte[] key) {
        return ByteBuffer.wrap(key).getLong();
    }

    /**
     * {@code streamId NUL RANGE_TAG firstVersion}: one entry per append, value = {@link #range} of
     * the positions its events got (consecutive versions always get consecutive positions).
     */
    static byte[] streamEntry(byte[] stream, long firstVersion) {
        return ByteBuffer.allocate(stream.length + 2 + Long.BYTES).put(stream).put((byte) 0).put(RANGE_TAG)
                .putLong(firstVersion).array();
    }

    static byte[] streamMarker(byte[] stream) {
        return ByteBuffer.allocate(stream.length + 2).put(stream).put((byte) 0).put(STREAM_TAG).array();
    }

    /** The stream id's bytes of a key of this family (or of the earlier layout's): up to its NUL. */
    static byte[] streamOf(byte[] key) {
        return Arrays.copyOf(key, endOfStream(key));
    }

    private static int endOfStream(byte[] key) {
        int nul = 0;
        while (key[nul] != 0) {
            nul++;
        }
        return nul;
    }

    /** What every range entry of the stream starts with; a stream's idempotency entries do not. */
    static byte[] streamPrefix(byte[] stream) {
        return ByteBuffer.allocate(stream.length + 2).put(stream).put((byte) 0).put(RANGE_TAG).array();
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

    /** {@code streamId NUL ID_TAG eventId}: the idempotency index, value = {@link #eventLocation}. */
    static byte[] eventId(byte[] stream, String eventId) {
        // Ids are ASCII in practice (ingest accepts no other characters): written straight into the
        // key, one array per event on the append path instead of two.
        byte[] key = new byte[stream.length + 2 + eventId.length()];
        for (int i = 0, at = stream.length + 2; i < eventId.length(); i++, at++) {
            char c = eventId.charAt(i);
            if (c >= 0x80) {
                return eventId(stream, eventId.getBytes(StandardCharsets.UTF_8));
            }
            key[at] = (byte) c;
        }
        System.arraycopy(stream, 0, key, 0, stream.length);
        key[stream.length + 1] = ID_TAG;
        return key;
    }

    private static byte[] eventId(byte[] stream, byte[] id) {
        byte[] key = new byte[stream.length + 2 + id.length];
        System.arraycopy(stream, 0, key, 0, stream.length);
        key[stream.length + 1] = ID_TAG;
        System.arraycopy(id, 0, key, stream.length + 2, id.length);
        return key;
    }

    /**
     * The key of this layout for a key of the layout with one family per index ({@code streamId
     * NUL rest}, no tag): the tag goes after the stream id's NUL.
     */
    static byte[] tagged(byte[] earlierKey, byte tag) {
        int nul = endOfStream(earlierKey);
        byte[] key = new byte[earlierKey.length + 1];
        System.arraycopy(earlierKey, 0, key, 0, nul + 1);
        key[nul + 1] = tag;
        System.arraycopy(earlierKey, nul + 1, key, nul + 2, earlierKey.length - nul - 1);
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

    /** The event a log record holds, its envelope parsed. */
    static StoredEvent storedEvent(long position, byte[] record) {
        ByteBuffer buffer = ByteBuffer.wrap(record);
        int streamLength = buffer.getInt();
        String streamId = new String(record, Integer.BYTES, streamLength, StandardCharsets.UTF_8);
        buffer.position(Integer.BYTES + streamLength);
        long version = buffer.getLong();
        int envelopeOffset = buffer.position();
        try {
            EventEnvelope envelope = EventEnvelope.parser().parseFrom(record, envelopeOffset, record.length - envelopeOffset);
            return new StoredEvent(streamId, version, position, envelope);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt event at position " + position, e);
        }
    }

    /** A log record ({@link RocksDbKeys#logRecord}'s layout) at {@code offset} in {@code bytes}, envelope unparsed. */
    static LogRecord logRecordAt(long position, byte[] bytes, int offset, int length) {
        int streamLength = (int) BIG_ENDIAN_INT.get(bytes, offset);
        int versionOffset = offset + Integer.BYTES + streamLength;
        long version = (long) BIG_ENDIAN_LONG.get(bytes, versionOffset);
        int envelopeOffset = versionOffset + Long.BYTES;
        return LogRecord.serialized(position, version, bytes, offset + Integer.BYTES, streamLength, envelopeOffset,
                offset + length - envelopeOffset);
    }
}
