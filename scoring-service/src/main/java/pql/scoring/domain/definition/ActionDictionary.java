package pql.scoring.domain.definition;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Action names to small integer ids, so per-account state holds ids in primitive arrays rather than
 * strings in maps. The definition's own actions come first (ids 0..k-1, in a fixed order); other
 * actions get ids as they are first seen. Ids are local to one process and one projection: anything
 * persisted stores names, never ids.
 *
 * <p>At most {@link #CAPACITY} distinct names; past that, new names share {@link #OTHER}, so a
 * flood of random action names cannot exhaust memory.
 */
public final class ActionDictionary {

    public static final int CAPACITY = 65_535;
    /** The shared id of names seen after the dictionary filled up. */
    public static final int OTHER = CAPACITY - 1;
    public static final String OTHER_NAME = "(other actions)";

    private final ConcurrentHashMap<String, Integer> ids = new ConcurrentHashMap<>();
    private final AtomicReferenceArray<String> names = new AtomicReferenceArray<>(CAPACITY);
    private int next;

    public ActionDictionary() {
        names.set(OTHER, OTHER_NAME);
    }

    /** The id of {@code name}, adding it when new. */
    public int idOf(String name) {
        Integer id = ids.get(name);
        if (id != null) {
            return id;
        }
        return add(name);
    }

    /** The id of {@code name} or -1 when it was never seen. */
    public int find(String name) {
        Integer id = ids.get(name);
        return id == null ? -1 : id;
    }

    private synchronized int add(String name) {
        Integer id = ids.get(name);
        if (id != null) {
            return id;
        }
        if (next >= OTHER) {
            return OTHER;
        }
        int assigned = next++;
        // the name first, so a reader that finds the id always finds its name
        names.set(assigned, name);
        ids.put(name, assigned);
        return assigned;
    }

    public String nameOf(int id) {
        String name = names.get(id);
        if (name == null) {
            throw new IllegalArgumentException("unknown action id " + id);
        }
        return name;
    }

    public synchronized int size() {
        return next;
    }
}
