package pql.scoring.domain.score;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The users of one account, by small index: ids, e-mails, their own checklist counts (per-user
 * activation) and when each was last active (DAU/WAU/MAU). Linear look-up for the usual handful of
 * users, a hash index once an account has many.
 *
 * <p>At most {@link #MAX_USERS} users are told apart; further users share the last slot, so one
 * account cannot grow without bound.
 */
final class UserTable {

    static final int MAX_USERS = 65_535;
    static final String OTHER_USERS = "(other users)";
    private static final int INDEX_FROM = 12;
    static final long NEVER = Long.MIN_VALUE;

    private final int steps;
    private String[] ids = new String[2];
    private String[] emails = new String[2];
    private long[] lastActive = new long[2];
    private double[] stepCounts;
    private int size;
    private Map<String, Integer> index;

    UserTable(int steps) {
        this.steps = steps;
        this.stepCounts = new double[2 * steps];
    }

    int size() {
        return size;
    }

    /** The index of {@code userId}, adding the user when new. */
    int indexOf(String userId) {
        if (index != null) {
            Integer found = index.get(userId);
            if (found != null) {
                return found;
            }
        } else {
            for (int i = 0; i < size; i++) {
                if (ids[i].equals(userId)) {
                    return i;
                }
            }
        }
        if (size == MAX_USERS) {
            return MAX_USERS - 1;
        }
        return add(size == MAX_USERS - 1 ? OTHER_USERS : userId);
    }

    private int add(String userId) {
        if (size == ids.length) {
            int capacity = size * 2;
            ids = Arrays.copyOf(ids, capacity);
            emails = Arrays.copyOf(emails, capacity);
            lastActive = Arrays.copyOf(lastActive, capacity);
            stepCounts = Arrays.copyOf(stepCounts, capacity * steps);
        }
        ids[size] = userId;
        lastActive[size] = NEVER;
        if (index != null) {
            index.put(userId, size);
        } else if (size + 1 >= INDEX_FROM) {
            index = new HashMap<>();
            for (int i = 0; i <= size; i++) {
                index.put(ids[i], i);
            }
        }
        return size++;
    }

    String id(int user) {
        return ids[user];
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
            out.writeUTF(ids[i]);
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
            int user = table.add(in.readUTF());
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
