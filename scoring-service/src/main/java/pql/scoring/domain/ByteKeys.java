package pql.scoring.domain;

import java.util.Arrays;

/**
 * Hashing and comparing keys held as UTF-8 bytes (user ids, action names), so the projection can look
 * them up straight from an event's bytes without building a String per event.
 */
public final class ByteKeys {

    private ByteKeys() {
    }

    /** FNV-1a over the bytes, spread so that the low bits (table slots) depend on every byte. */
    public static int hash(byte[] bytes, int offset, int length) {
        int hash = 0x811C9DC5;
        for (int i = offset, end = offset + length; i < end; i++) {
            hash = (hash ^ bytes[i]) * 0x01000193;
        }
        return hash ^ (hash >>> 16);
    }

    public static boolean equals(byte[] key, byte[] bytes, int offset, int length) {
        return key.length == length && Arrays.equals(key, 0, length, bytes, offset, offset + length);
    }
}
