package pql.scoring.wire;

import java.nio.charset.StandardCharsets;
import pql.scoring.domain.ByteKeys;
import pql.scoring.domain.definition.ActionDictionary;
import pql.scoring.domain.definition.CompiledDefinition;

/**
 * Action names (ASCII bytes) to the definition's action ids, by the bytes: an open-addressing table in
 * front of the shared {@link ActionDictionary}, asked only the first time a name is seen. One per
 * reader (segment thread), so no locking; bounded like the dictionary.
 */
final class ActionIdCache {

    private static final int MAX_CACHED = ActionDictionary.CAPACITY;

    private final CompiledDefinition definition;
    private byte[][] names = new byte[64][];
    private int[] ids = new int[64];
    private int size;

    ActionIdCache(CompiledDefinition definition) {
        this.definition = definition;
    }

    int idOf(byte[] bytes, int offset, int length) {
        int mask = names.length - 1;
        int slot = ByteKeys.hash(bytes, offset, length) & mask;
        for (; names[slot] != null; slot = (slot + 1) & mask) {
            if (ByteKeys.equals(names[slot], bytes, offset, length)) {
                return ids[slot];
            }
        }
        int id = definition.actionId(new String(bytes, offset, length, StandardCharsets.US_ASCII));
        if (size < MAX_CACHED) {
            byte[] name = new byte[length];
            System.arraycopy(bytes, offset, name, 0, length);
            names[slot] = name;
            ids[slot] = id;
            if (++size * 2 > names.length) {
                grow();
            }
        }
        return id;
    }

    private void grow() {
        byte[][] oldNames = names;
        int[] oldIds = ids;
        names = new byte[oldNames.length * 2][];
        ids = new int[oldNames.length * 2];
        int mask = names.length - 1;
        for (int i = 0; i < oldNames.length; i++) {
            if (oldNames[i] != null) {
                int slot = ByteKeys.hash(oldNames[i], 0, oldNames[i].length) & mask;
                while (names[slot] != null) {
                    slot = (slot + 1) & mask;
                }
                names[slot] = oldNames[i];
                ids[slot] = oldIds[i];
            }
        }
    }
}
