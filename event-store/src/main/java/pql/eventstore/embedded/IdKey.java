package pql.eventstore.embedded;

import java.util.Arrays;

/** An idempotency key as a map key; its hash is computed once, it is looked up several times. */
final class IdKey {
    private final byte[] bytes;
    private final int hash;

    IdKey(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    byte[] bytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IdKey key && hash == key.hash && Arrays.equals(bytes, key.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
