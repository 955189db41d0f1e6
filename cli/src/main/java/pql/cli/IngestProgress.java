package pql.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The progress of {@code pql ingest} on standard error. When the input's size is known (a file)
 * it shows the share read, the rate and an ETA. On a terminal one line is redrawn in place every
 * tick; otherwise (a log, a CI job) a plain line is printed each time another 10% is read, or
 * every 10 ticks when the size is unknown (standard input), so logs stay readable.
 */
final class IngestProgress {

    /** Ticks between plain lines when the size is unknown. */
    static final int TICKS_PER_PLAIN_LINE = 10;

    private final PrintWriter err;
    private final boolean terminal;
    private final long totalBytes;
    private final LongSupplier bytesRead;
    private final IngestStreamer streamer;
    private final long startedNanos;
    private int lastDecile;
    private long ticks;

    /**
     * @param totalBytes the input's size, or a negative number when unknown
     * @param bytesRead the input's bytes consumed so far
     */
    IngestProgress(PrintWriter err, boolean terminal, long totalBytes, LongSupplier bytesRead, IngestStreamer streamer,
            long startedNanos) {
        this.err = err;
        this.terminal = terminal;
        this.totalBytes = totalBytes;
        this.bytesRead = bytesRead;
        this.streamer = streamer;
        this.startedNanos = startedNanos;
    }

    /** Called every second while the events stream. */
    synchronized void tick() {
        ticks++;
        double fraction = fraction();
        if (terminal) {
            err.print("\r" + line(fraction, System.nanoTime()) + "   ");
        } else if (Double.isNaN(fraction)) {
            if (ticks % TICKS_PER_PLAIN_LINE == 0) {
                err.println(line(fraction, System.nanoTime()));
            }
        } else {
            int decile = (int) Math.floor(fraction * 10);
            if (decile > lastDecile && decile < 10) {
                lastDecile = decile;
                err.println(line(fraction, System.nanoTime()));
            }
        }
        err.flush();
    }

    /** Once every answer is in: the final line (100% when the size is known). */
    synchronized void finish() {
        String last = line(Double.isNaN(fraction()) ? Double.NaN : 1, System.nanoTime());
        err.println(terminal ? "\r" + last + "   " : last);
        err.flush();
    }

    /** Share of the input read, 0..1; NaN when the size is unknown. */
    private double fraction() {
        if (totalBytes < 0) {
            return Double.NaN;
        }
        return totalBytes == 0 ? 1 : Math.min(1, (double) bytesRead.getAsLong() / totalBytes);
    }

    /** "ingest: 42% 12,000 sent, 11,000 acknowledged, 5,500 events/s, eta 3 s". */
    String line(double fraction, long nowNanos) {
        long acknowledged = streamer.accepted.get() + streamer.duplicates.get() + streamer.rejected.get() + streamer.valid.get();
        double seconds = Math.max(1e-3, (nowNanos - startedNanos) / 1e9);
        StringBuilder line = new StringBuilder("ingest: ");
        if (!Double.isNaN(fraction)) {
            line.append(String.format(Locale.ROOT, "%.0f%% ", Math.floor(fraction * 100)));
        }
        line.append(String.format(Locale.ROOT, "%,d sent, %,d acknowledged, %,.0f events/s", streamer.sent.get(), acknowledged,
                acknowledged / seconds));
        if (!Double.isNaN(fraction) && fraction > 0 && fraction < 1) {
            line.append(String.format(Locale.ROOT, ", eta %s", duration(seconds * (1 - fraction) / fraction)));
        }
        return line.toString();
    }

    static String duration(double seconds) {
        long whole = Math.round(seconds);
        if (whole < 60) {
            return whole + " s";
        }
        if (whole < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", whole / 60, whole % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", whole / 3600, whole % 3600 / 60);
    }
}
