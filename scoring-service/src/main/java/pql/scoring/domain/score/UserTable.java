package pql.scoring.domain.score;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import pql.scoring.domain.ByteKeys;

/**
 * The users of one account, by small index: ids, e-mails, their own checklist counts (per-user
 * activation) and when each was last active (DAU/WAU/MAU). Ids are kept as their UTF-8 bytes, so an
 * event's user is found from the event's bytes without building a String (and a short id costs half
 * the memory); linear look-up for the usual handful of users, an open-addressing index once an account
 * has many.
 *
 * <p>At most {@link #MAX_USERS} users are told apart; further users share the last slot, so one
 * account cannot grow without bound.
 */
final class UserTable {

    static final int MAX_USERS = 65_535;
    static final String OTHER_USERS = "(other users)";
    private static final byte[] OTHER_USERS_KEY = OTHER_USERS.getBytes(StandardCharsets.UTF_8);
    private static final int INDEX_FROM = 12;
    static final long NEVER = Long.MIN_VALUE;

    private final int steps;
    private byte[][] ids = new byte[2][];
    private String[] emails = new String[2];
    private long[] lastActive = new long[2];
    private double[] stepCounts;
    private int size;
    /** Open addressing: user index + 1, 0 = free. Built once the table has {@link #INDEX_FROM} users. */
    private int[] index;

    UserTable(int steps) {
        this.steps = steps;
        this.stepCounts = new double[2 * steps];
    }

    int size() {
        return size;
    }

    /** The index of {@code userId}, adding the user when new. */
    int indexOf(String userId) {
        byte[] key = userId.getBytes(StandardCharsets.UTF_8);
        return indexOf(key, 0, key.length);
    }

    /** The index of the user whose id is these UTF-8 bytes, adding the user when new. */
    int indexOf(byte[] key, int offset, int length) {
        if (index != null) {
            int mask = index.length - 1;
            for (int slot = ByteKeys.hash(key, offset, length) & mask; index[slot] != 0; slot = (slot + 1) & mask) {
                int user = index[slot] - 1;
                if (ByteKeys.equals(ids[user], key, offset, length)) {
                    return user;
                }
            }
        } else {
            for (int i = 0; i < size; i++) {
                if (ByteKeys.equals(ids[i], key, offset, length)) {
                    return i;
                }
            }
        }
        if (size == MAX_USERS) {
            return MAX_USERS - 1;
        }
        return add(size == MAX_USERS - 1 ? OTHER_USERS_KEY : Arrays.copyOfRange(key, offset, offset + length));
    }

    private int add(byte[] userId) {
        if (size == ids.length) {
            int capacity = size * 2;
            ids = Arrays.copyOf(ids, capacity);
            emails = Arrays.copyOf(emails, capacity);
            lastActive = Arrays.copyOf(lastActive, capacity);
            stepCounts = Arrays.copyOf(stepCounts, capacity * steps);
        }
        ids[size] = userId;
        lastActive[size] = NEVER;
        int user = size++;
        if (index != null) {
            if (size * 2 > index.length) {
                rebuildIndex();
            } else {
                insert(user);
            }
        } else if (size >= INDEX_FROM) {
            rebuildIndex();
        }
        return user;
    }

    private void rebuildIndex() {
        index = new int[Integer.highestOneBit(size * 4 - 1) << 1];
        for (int user = 0; user < size; user++) {
            insert(user);
        }
    }

    private void insert(int user) {
        int mask = index.length - 1;
        int slot = ByteKeys.hash(ids[user], 0, ids[user].length) & mask;
        while (index[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        index[slot] = user + 1;
    }

    String id(int user) {
        return new String(ids[user], StandardCharsets.UTF_8);
    }

    String email(int user) {
        return emails[user];
    }

    void setEmail(int user, String email) {
        emails[user] = email;
    }

    void markActive(int user, long time) {
        if (time > lastActive[user]) {
            lastActive[user] = time;
        }
    }

    long lastActive(int user) {
        return lastActive[user];
    }

    void addToStep(int user, int step, double quantity) {
        stepCounts[user * steps + step] += quantity;
    }

    double stepCount(int user, int step) {
        return stepCounts[user * steps + step];
    }

    /** The newest instant a user was active at or before {@code asOf}; {@link #NEVER} when none was. */
    long lastActiveAt(long asOf) {
        long newest = NEVER;
        for (int i = 0; i < size; i++) {
            if (lastActive[i] != NEVER && lastActive[i] <= asOf && lastActive[i] > newest) {
                newest = lastActive[i];
            }
        }
        return newest;
    }

    /** Users active within (asOf - window, asOf]. */
    int activeWithin(long asOf, long windowMillis) {
        int active = 0;
        for (int i = 0; i < size; i++) {
            if (lastActive[i] != NEVER && lastActive[i] > asOf - windowMillis && lastActive[i] <= asOf) {
                active++;
            }
        }
        return active;
    }

    void writeTo(DataOutput out) throws IOException {
        out.writeInt(size);
        for (int i = 0; i < size; i++) {
            out.writeUTF(id(i));
            out.writeBoolean(emails[i] != null);
            if (emails[i] != null) {
                out.writeUTF(emails[i]);
            }
            out.writeLong(lastActive[i]);
            for (int s = 0; s < steps; s++) {
                out.writeDouble(stepCounts[i * steps + s]);
            }
        }
    }

    static UserTable read(DataInput in, int steps) throws IOException {
        UserTable table = new UserTable(steps);
        int size = in.readInt();
        for (int i = 0; i < size; i++) {
            int user = table.add(in.readUTF().getBytes(StandardCharsets.UTF_8));
            if (in.readBoolean()) {
                table.emails[user] = in.readUTF();
            }
            table.lastActive[user] = in.readLong();
            for (int s = 0; s < steps; s++) {
                table.stepCounts[user * steps + s] = in.readDouble();
            }
        }
        return table;
    }
}
