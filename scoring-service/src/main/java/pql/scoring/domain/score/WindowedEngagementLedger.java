package pql.scoring.domain.score;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import pql.scoring.domain.definition.ActionDictionary;
import pql.scoring.domain.definition.CompiledDefinition;

/**
 * Engagement within a sliding window of event time. Contributions are kept in hour buckets per
 * (action, user), oldest first: a burst of events in one hour costs one entry, and memory is bounded
 * by the window rather than by the account's history. The window's resolution is therefore one hour:
 * a bucket counts while any part of its hour lies inside the window.
 *
 * <p>A running sum of the buckets inside the window serves the common question (the score as of the
 * newest event) in O(1); it is recomputed exactly whenever buckets expire, so rounding never drifts.
 */
final class WindowedEngagementLedger implements EngagementLedger {

    private static final long HOUR = CompiledDefinition.HOUR_MILLIS;

    private final long windowMillis;
    private long[] hours = new long[8];
    /** action id << 16 | user index. */
    private int[] keys = new int[8];
    private double[] quantities = new double[8];
    private double[] points = new double[8];
    private int size;
    private double running;

    WindowedEngagementLedger(long windowMillis) {
        this.windowMillis = windowMillis;
    }

    private long firstHourCounted(long asOf) {
        return Math.floorDiv(asOf - windowMillis, HOUR);
    }

    @Override
    public void add(long time, int actionId, int user, double quantity, double anchoredPoints, long newest) {
        long hour = Math.floorDiv(time, HOUR);
        if (hour < firstHourCounted(newest)) {
            return;
        }
        int key = actionId << 16 | user;
        int insertAt = size;
        for (int i = size - 1; i >= 0 && hours[i] >= hour; i--) {
            if (hours[i] == hour && keys[i] == key) {
                quantities[i] += quantity;
                points[i] += anchoredPoints;
                running += anchoredPoints;
                return;
            }
            if (hours[i] > hour) {
                insertAt = i;
            }
        }
        insert(insertAt, hour, key, quantity, anchoredPoints);
        running += anchoredPoints;
    }

    private void insert(int at, long hour, int key, double quantity, double anchoredPoints) {
        if (size == hours.length) {
            int capacity = hours.length * 2;
            hours = Arrays.copyOf(hours, capacity);
            keys = Arrays.copyOf(keys, capacity);
            quantities = Arrays.copyOf(quantities, capacity);
            points = Arrays.copyOf(points, capacity);
        }
        int tail = size - at;
        if (tail > 0) {
            System.arraycopy(hours, at, hours, at + 1, tail);
            System.arraycopy(keys, at, keys, at + 1, tail);
            System.arraycopy(quantities, at, quantities, at + 1, tail);
            System.arraycopy(points, at, points, at + 1, tail);
        }
        hours[at] = hour;
        keys[at] = key;
        quantities[at] = quantity;
        points[at] = anchoredPoints;
        size++;
    }

    @Override
    public void advance(long newest) {
        long first = firstHourCounted(newest);
        if (size == 0 || hours[0] >= first) {
            return;
        }
        int expired = 0;
        while (expired < size && hours[expired] < first) {
            expired++;
        }
        int live = size - expired;
        System.arraycopy(hours, expired, hours, 0, live);
        System.arraycopy(keys, expired, keys, 0, live);
        System.arraycopy(quantities, expired, quantities, 0, live);
        System.arraycopy(points, expired, points, 0, live);
        size = live;
        if (hours.length > 32 && size < hours.length / 4) {
            int capacity = Math.max(8, size * 2);
            hours = Arrays.copyOf(hours, capacity);
            keys = Arrays.copyOf(keys, capacity);
            quantities = Arrays.copyOf(quantities, capacity);
            points = Arrays.copyOf(points, capacity);
        }
        double exact = 0;
        for (int i = 0; i < size; i++) {
            exact += points[i];
        }
        running = exact;
    }

    /**
     * The first instant after {@code t} at which an hour bucket counted at {@code t} stops counting: hour
     * {@code b} counts while {@code asOf < (b + 1) h + window}. {@link Long#MAX_VALUE} when none is left.
     */
    @Override
    public long nextExpiryAfter(long t) {
        for (int i = 0; i < size; i++) {
            long expiry = (hours[i] + 1) * HOUR + windowMillis;
            if (expiry > t) {
                return expiry;
            }
        }
        return Long.MAX_VALUE;
    }

    @Override
    public double anchoredScore(long asOf, long newest) {
        if (asOf == newest) {
            return running;
        }
        long first = firstHourCounted(asOf);
        double sum = 0;
        for (int i = 0; i < size; i++) {
            if (hours[i] >= first) {
                sum += points[i];
            }
        }
        return sum;
    }

    @Override
    public List<ActionTotal> actionTotals(long asOf, long newest) {
        long first = firstHourCounted(asOf);
        Map<Integer, double[]> byAction = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            if (hours[i] >= first) {
                double[] sums = byAction.computeIfAbsent(keys[i] >>> 16, k -> new double[2]);
                sums[0] += quantities[i];
                sums[1] += points[i];
            }
        }
        List<ActionTotal> totals = new ArrayList<>(byAction.size());
        byAction.forEach((action, sums) -> totals.add(new ActionTotal(action, sums[0], sums[1])));
        return totals;
    }

    @Override
    public double[] userAnchoredScores(long asOf, long newest, int users) {
        long first = firstHourCounted(asOf);
        double[] scores = new double[users];
        for (int i = 0; i < size; i++) {
            int user = keys[i] & 0xFFFF;
            if (hours[i] >= first && user < users) {
                scores[user] += points[i];
            }
        }
        return scores;
    }

    @Override
    public void rebase(int k) {
        for (int i = 0; i < size; i++) {
            points[i] = Math.scalb(points[i], -k);
        }
        running = Math.scalb(running, -k);
    }

    @Override
    public int entryCount() {
        return size;
    }

    @Override
    public void writeTo(DataOutput out, ActionDictionary actions) throws IOException {
        Map<Integer, Integer> local = new HashMap<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            int action = keys[i] >>> 16;
            if (!local.containsKey(action)) {
                local.put(action, names.size());
                names.add(actions.nameOf(action));
            }
        }
        out.writeInt(names.size());
        for (String name : names) {
            out.writeUTF(name);
        }
        out.writeInt(size);
        for (int i = 0; i < size; i++) {
            out.writeLong(hours[i]);
            out.writeInt(local.get(keys[i] >>> 16));
            out.writeShort(keys[i] & 0xFFFF);
            out.writeDouble(quantities[i]);
            out.writeDouble(points[i]);
        }
        out.writeDouble(running);
    }

    static WindowedEngagementLedger read(DataInput in, long windowMillis, ActionDictionary actions) throws IOException {
        WindowedEngagementLedger ledger = new WindowedEngagementLedger(windowMillis);
        int[] ids = new int[in.readInt()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = actions.idOf(in.readUTF());
        }
        int count = in.readInt();
        int capacity = Math.max(8, count);
        ledger.hours = new long[capacity];
        ledger.keys = new int[capacity];
        ledger.quantities = new double[capacity];
        ledger.points = new double[capacity];
        for (int i = 0; i < count; i++) {
            ledger.hours[i] = in.readLong();
            int action = ids[in.readInt()];
            int user = in.readShort() & 0xFFFF;
            ledger.keys[i] = action << 16 | user;
            ledger.quantities[i] = in.readDouble();
            ledger.points[i] = in.readDouble();
        }
        ledger.size = count;
        ledger.running = in.readDouble();
        return ledger;
    }
}
