package pql.scoring.app;

import java.io.DataOutput;
import java.io.UTFDataFormatException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link DataOutput} into chunks of memory, byte for byte what {@link java.io.DataOutputStream} writes
 * (big-endian, modified UTF-8), without its cost: a snapshot is taken on a projection's segment thread,
 * which applies no event meanwhile, and the codec writes field by field, so every write is a few array
 * stores here instead of a virtual call per byte into a synchronized stream. Chunks of 1 MiB, not one
 * growing array: a segment of 50k accounts is ~100 MB, which would be copied as it grows and allocated
 * as one humongous object.
 */
final class SnapshotBytes implements DataOutput {

    private static final int CHUNK = 1 << 20;

    private final List<byte[]> full = new ArrayList<>();
    private byte[] buffer = new byte[CHUNK];
    private int size;
    private long written;

    /** Makes room for {@code more} contiguous bytes (at most {@value #CHUNK}); a larger write goes through {@link #write(byte[], int, int)}. */
    private void ensure(int more) {
        if (size + more > buffer.length) {
            full.add(size == buffer.length ? buffer : Arrays.copyOf(buffer, size));
            written += size;
            buffer = new byte[CHUNK];
            size = 0;
        }
    }

    /** The bytes written, in order (the last chunk trimmed). */
    List<byte[]> chunks() {
        List<byte[]> all = new ArrayList<>(full);
        if (size > 0) {
            all.add(Arrays.copyOf(buffer, size));
        }
        return all;
    }

    long size() {
        return written + size;
    }

    @Override
    public void write(int b) {
        ensure(1);
        buffer[size++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes) {
        write(bytes, 0, bytes.length);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        while (length > 0) {
            ensure(Math.min(length, CHUNK));
            int part = Math.min(length, buffer.length - size);
            System.arraycopy(bytes, offset, buffer, size, part);
            size += part;
            offset += part;
            length -= part;
        }
    }

    @Override
    public void writeBoolean(boolean v) {
        write(v ? 1 : 0);
    }

    @Override
    public void writeByte(int v) {
        write(v);
    }

    @Override
    public void writeShort(int v) {
        ensure(2);
        buffer[size++] = (byte) (v >>> 8);
        buffer[size++] = (byte) v;
    }

    @Override
    public void writeChar(int v) {
        writeShort(v);
    }

    @Override
    public void writeInt(int v) {
        ensure(4);
        buffer[size++] = (byte) (v >>> 24);
        buffer[size++] = (byte) (v >>> 16);
        buffer[size++] = (byte) (v >>> 8);
        buffer[size++] = (byte) v;
    }

    @Override
    public void writeLong(long v) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buffer[size++] = (byte) (v >>> shift);
        }
    }

    @Override
    public void writeFloat(float v) {
        writeInt(Float.floatToIntBits(v));
    }

    @Override
    public void writeDouble(double v) {
        writeLong(Double.doubleToLongBits(v));
    }

    @Override
    public void writeBytes(String s) {
        for (int i = 0; i < s.length(); i++) {
            write(s.charAt(i));
        }
    }

    @Override
    public void writeChars(String s) {
        for (int i = 0; i < s.length(); i++) {
            writeChar(s.charAt(i));
        }
    }

    /** Modified UTF-8 with a two-byte length, as {@link java.io.DataOutputStream#writeUTF} writes it. */
    @Override
    public void writeUTF(String s) throws UTFDataFormatException {
        int length = s.length();
        int encoded = length;
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c >= 0x80 || c == 0) {
                encoded += c >= 0x800 ? 2 : 1;
            }
        }
        if (encoded > 65535) {
            throw new UTFDataFormatException("encoded string too long: " + encoded + " bytes");
        }
        ensure(2 + encoded);
        buffer[size++] = (byte) (encoded >>> 8);
        buffer[size++] = (byte) encoded;
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c < 0x80 && c != 0) {
                buffer[size++] = (byte) c;
            } else if (c < 0x800) {
                buffer[size++] = (byte) (0xC0 | (c >> 6));
                buffer[size++] = (byte) (0x80 | (c & 0x3F));
            } else {
                buffer[size++] = (byte) (0xE0 | (c >> 12));
                buffer[size++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                buffer[size++] = (byte) (0x80 | (c & 0x3F));
            }
        }
    }
}
