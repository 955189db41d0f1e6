package pql.eventstore.embedded;

import java.util.Arrays;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.WriteBatch;

/**
 * Builds a RocksDB write batch in its documented serialized form (the "rep" of
 * {@code db/write_batch.cc}: a 12-byte header of sequence and count, then one tagged record per
 * put) on the Java heap, and hands it to RocksDB in one call. The alternative, one JNI call per
 * put, cost the sequencer more than deciding versions and duplicates did.
 */
final class WriteBatchEncoder {

    private static final int HEADER = 12;
    private static final byte COLUMN_FAMILY_VALUE = 0x5;

    private byte[] buffer;
    private int length = HEADER;
    private int count;

    WriteBatchEncoder(int expectedBytes) {
        buffer = new byte[Math.max(64, HEADER + expectedBytes)];
    }

    /** A put of {@code key -> value} in {@code family}. */
    void put(ColumnFamilyHandle family, byte[] key, byte[] value) {
        beginPut(family, key.length);
        write(key, 0, key.length);
        valueLength(value.length);
        write(value, 0, value.length);
    }

    /** A put whose key is a big-endian long (positions in the log). */
    void beginPut(ColumnFamilyHandle family, long key, int valueLength) {
        beginPut(family, Long.BYTES);
        writeLong(key);
        valueLength(valueLength);
    }

    /** Starts a put with the key's length: the key, then {@link #valueLength}, then the value follow. */
    private void beginPut(ColumnFamilyHandle family, int keyLength) {
        ensure(1 + 5 + 5 + keyLength);
        buffer[length++] = COLUMN_FAMILY_VALUE;
        writeVarint(family.getID());
        writeVarint(keyLength);
        count++;
    }

    private void valueLength(int valueLength) {
        ensure(5 + valueLength);
        writeVarint(valueLength);
    }

    void write(byte[] bytes, int offset, int size) {
        ensure(size);
        System.arraycopy(bytes, offset, buffer, length, size);
        length += size;
    }

    void writeLong(long value) {
        ensure(Long.BYTES);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buffer[length++] = (byte) (value >>> shift);
        }
    }

    /** The batch, ready for {@code RocksDB.write}; the caller closes it. */
    WriteBatch toWriteBatch() {
        // sequence (fixed64, little-endian) stays 0: RocksDB assigns it; count is fixed32 little-endian
        buffer[8] = (byte) count;
        buffer[9] = (byte) (count >>> 8);
        buffer[10] = (byte) (count >>> 16);
        buffer[11] = (byte) (count >>> 24);
        return new WriteBatch(length == buffer.length ? buffer : Arrays.copyOf(buffer, length));
    }

    private void writeVarint(int value) {
        while ((value & ~0x7F) != 0) {
            buffer[length++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        buffer[length++] = (byte) value;
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }
}
