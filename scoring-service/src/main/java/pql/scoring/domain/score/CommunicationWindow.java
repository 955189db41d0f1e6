package pql.scoring.domain.score;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import pql.scoring.domain.Direction;
import pql.scoring.domain.Sentiment;

/**
 * The account's interactions within the communication window, oldest first, with running counts.
 * Interactions are few next to product actions, so each keeps its exact time: an interaction counts
 * when {@code asOf - window < time <= asOf}.
 */
final class CommunicationWindow {

    static final int INBOUND = 1;
    static final int RESPONDED = 2;
    static final int OUTBOUND = 4;
    static final int POSITIVE = 8;
    static final int NEUTRAL = 16;
    static final int NEGATIVE = 32;

    private final long windowMillis;
    private long[] times = new long[2];
    private byte[] flags = new byte[2];
    private int size;
    private final int[] running = new int[6];

    CommunicationWindow(long windowMillis) {
        this.windowMillis = windowMillis;
    }

    static int flagsOf(Direction direction, boolean responded, Sentiment sentiment) {
        int value = 0;
        if (direction == Direction.INBOUND) {
            value |= INBOUND;
        } else if (direction == Direction.OUTBOUND) {
            value |= OUTBOUND;
            if (responded) {
                value |= RESPONDED;
            }
        }
        if (sentiment != null) {
            value |= switch (sentiment) {
                case POSITIVE -> POSITIVE;
                case NEUTRAL -> NEUTRAL;
                case NEGATIVE -> NEGATIVE;
            };
        }
        return value;
    }

    void add(long time, int flag, long newest) {
        if (time <= newest - windowMillis) {
            return;
        }
        int at = size;
        while (at > 0 && times[at - 1] > time) {
            at--;
        }
        if (size == times.length) {
            times = Arrays.copyOf(times, size * 2);
            flags = Arrays.copyOf(flags, size * 2);
        }
        System.arraycopy(times, at, times, at + 1, size - at);
        System.arraycopy(flags, at, flags, at + 1, size - at);
        times[at] = time;
        flags[at] = (byte) flag;
        size++;
        count(running, flag, 1);
    }

    /** Inbound interactions plus responses as of the newest event, without copying the counts. */
    int activeCountAtNewest() {
        return running[0] + running[1];
    }

    void advance(long newest) {
        int expired = 0;
        while (expired < size && times[expired] <= newest - windowMillis) {
            count(running, flags[expired], -1);
            expired++;
        }
        if (expired > 0) {
            size -= expired;
            System.arraycopy(times, expired, times, 0, size);
            System.arraycopy(flags, expired, flags, 0, size);
        }
    }

    /** The first instant after {@code t} at which an interaction counted at {@code t} stops counting. */
    long nextExpiryAfter(long t) {
        for (int i = 0; i < size; i++) {
            long expiry = times[i] + windowMillis;
            if (expiry > t) {
                return expiry;
            }
        }
        return Long.MAX_VALUE;
    }

    /** inbound, responses, outbound, positive, neutral, negative as of {@code asOf}. */
    int[] counts(long asOf, long newest) {
        if (asOf == newest) {
            return running.clone();
        }
        int[] counts = new int[6];
        for (int i = 0; i < size; i++) {
            if (times[i] > asOf - windowMillis) {
                count(counts, flags[i], 1);
            }
        }
        return counts;
    }

    private static void count(int[] counts, int flag, int delta) {
        if ((flag & INBOUND) != 0) {
            counts[0] += delta;
        }
        if ((flag & RESPONDED) != 0) {
            counts[1] += delta;
        }
        if ((flag & OUTBOUND) != 0) {
            counts[2] += delta;
        }
        if ((flag & POSITIVE) != 0) {
            counts[3] += delta;
        }
        if ((flag & NEUTRAL) != 0) {
            counts[4] += delta;
        }
        if ((flag & NEGATIVE) != 0) {
            counts[5] += delta;
        }
    }

    void writeTo(DataOutput out) throws IOException {
        out.writeInt(size);
        for (int i = 0; i < size; i++) {
            out.writeLong(times[i]);
            out.writeByte(flags[i]);
        }
    }

    static CommunicationWindow read(DataInput in, long windowMillis) throws IOException {
        CommunicationWindow window = new CommunicationWindow(windowMillis);
        int size = in.readInt();
        window.times = new long[Math.max(2, size)];
        window.flags = new byte[Math.max(2, size)];
        for (int i = 0; i < size; i++) {
            window.times[i] = in.readLong();
            window.flags[i] = in.readByte();
            count(window.running, window.flags[i], 1);
        }
        window.size = size;
        return window;
    }
}
