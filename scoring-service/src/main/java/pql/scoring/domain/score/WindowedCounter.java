package pql.scoring.domain.score;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import pql.scoring.domain.definition.CompiledDefinition;

/**
 * Sum of one action's quantities within a rolling window of event time, for behavioural triggers
 * such as "10 invoices within 14 days". Hour buckets, oldest first, like the engagement window.
 */
final class WindowedCounter {

    private static final long HOUR = CompiledDefinition.HOUR_MILLIS;

    private final long windowMillis;
    private long[] hours = new long[4];
    private double[] quantities = new double[4];
    private int size;
    private double running;

    WindowedCounter(long windowMillis) {
        this.windowMillis = windowMillis;
    }

    private long firstHourCounted(long asOf) {
        return Math.floorDiv(asOf - windowMillis, HOUR);
    }

    void add(long time, double quantity, long newest) {
        long hour = Math.floorDiv(time, HOUR);
        if (hour < firstHourCounted(newest)) {
            return;
        }
        int at = size;
        for (int i = size - 1; i >= 0 && hours[i] >= hour; i--) {
            if (hours[i] == hour) {
                quantities[i] += quantity;
                running += quantity;
                return;
            }
            at = i;
        }
        if (size == hours.length) {
            hours = Arrays.copyOf(hours, size * 2);
            quantities = Arrays.copyOf(quantities, size * 2);
        }
        System.arraycopy(hours, at, hours, at + 1, size - at);
        System.arraycopy(quantities, at, quantities, at + 1, size - at);
        hours[at] = hour;
        quantities[at] = quantity;
        size++;
        running += quantity;
    }

    void advance(long newest) {
        long first = firstHourCounted(newest);
        int expired = 0;
        while (expired < size && hours[expired] < first) {
            expired++;
        }
        if (expired == 0) {
            return;
        }
        size -= expired;
        System.arraycopy(hours, expired, hours, 0, size);
        System.arraycopy(quantities, expired, quantities, 0, size);
        double exact = 0;
        for (int i = 0; i < size; i++) {
            exact += quantities[i];
        }
        running = exact;
    }

    /**
     * The first instant after {@code t} at which an hour bucket counted at {@code t} stops counting: hour
     * {@code b} counts while {@code asOf < (b + 1) h + window}. {@link Long#MAX_VALUE} when none is left.
     */
    long nextExpiryAfter(long t) {
        for (int i = 0; i < size; i++) {
            long expiry = (hours[i] + 1) * HOUR + windowMillis;
            if (expiry > t) {
                return expiry;
            }
        }
        return Long.MAX_VALUE;
    }

    double count(long asOf, long newest) {
        if (asOf == newest) {
            return running;
        }
        long first = firstHourCounted(asOf);
        double sum = 0;
        for (int i = 0; i < size; i++) {
            if (hours[i] >= first) {
                sum += quantities[i];
            }
        }
        return sum;
    }

    void writeTo(DataOutput out) throws IOException {
        out.writeInt(size);
        for (int i = 0; i < size; i++) {
            out.writeLong(hours[i]);
            out.writeDouble(quantities[i]);
        }
        out.writeDouble(running);
    }

    static WindowedCounter read(DataInput in, long windowMillis) throws IOException {
        WindowedCounter counter = new WindowedCounter(windowMillis);
        int size = in.readInt();
        counter.hours = new long[Math.max(4, size)];
        counter.quantities = new double[Math.max(4, size)];
        for (int i = 0; i < size; i++) {
            counter.hours[i] = in.readLong();
            counter.quantities[i] = in.readDouble();
        }
        counter.size = size;
        counter.running = in.readDouble();
        return counter;
    }
}
