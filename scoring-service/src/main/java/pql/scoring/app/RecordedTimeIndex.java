package pql.scoring.app;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pql.eventstore.EventStore;
import pql.eventstore.StoredEvent;
import pql.eventstore.StreamVersions;
import pql.scoring.wire.EnvelopeDecoder;

/**
 * Maps a knowledge instant to a log position: {@code positionKnownAt(K)} is the last position P such
 * that every event at or before P was recorded (its envelope's {@code recorded_at}, to the
 * millisecond) at or before K. Equivalently, P is the position just before the first event recorded
 * after K.
 *
 * <p>Why "just before the first one recorded after" rather than "the last one recorded at or before":
 * recorded_at is stamped by ingest before the append, so two batches appended concurrently can reach
 * the log in the opposite order of their stamps (by a few milliseconds; a clock step can do more). The
 * set of events counted is then always a prefix of the log, and it can never grow once any event
 * recorded after K is in the log: the answer for K is fixed forever from then on. (With the other
 * rule, a batch stamped before K and appended after a later one would still move P.)
 *
 * <p>The running maximum of recorded_at over the log is non-decreasing in position, so it can be
 * searched: the index samples it every {@value #SAMPLE_EVERY} events (position, maximum so far),
 * scanning the log once in the background and appending each sample to a small file, so a restart
 * resumes where it stopped. A lookup finds the last sample whose maximum is at or before K and reads
 * forward from it (at most one sample interval) to the first event recorded after K.
 */
public final class RecordedTimeIndex {

    private static final Logger LOG = LoggerFactory.getLogger(RecordedTimeIndex.class);
    static final int SAMPLE_EVERY = 4096;
    private static final int PAGE = 4096;
    /** Events scanned per hold of the lock by the background catch-up (a lookup waits at most that long). */
    private static final int STEP = 64 * 1024;
    private static final long MAGIC = 0x50514C5254494431L; // "PQLRTID1"

    private final EventStore store;
    private final Path file;
    private long[] positions = new long[256];
    private long[] maxima = new long[256];
    private int samples;
    /** The last position scanned, and the running maximum of recorded_at up to it (epoch ms). */
    private long scannedUpTo = StreamVersions.BEFORE_FIRST_POSITION;
    private long runningMax = Long.MIN_VALUE;
    private int sinceSample;
    private DataOutputStream out;
    private boolean loaded;

    /** @param file where samples are kept across restarts; null keeps them in memory only */
    public RecordedTimeIndex(EventStore store, Path file) {
        this.store = store;
        this.file = file;
    }

    /**
     * The last log position whose event and every event before it were recorded at or before
     * {@code knownAtMillis}; {@link StreamVersions#BEFORE_FIRST_POSITION} when the first event was
     * recorded after it. When nothing in the log was recorded after it yet, the head as scanned now.
     */
    public long positionKnownAt(long knownAtMillis) {
        long from;
        synchronized (this) {
            load();
            while (runningMax <= knownAtMillis) {
                if (scan(Integer.MAX_VALUE, knownAtMillis) == 0) {
                    return scannedUpTo; // every event so far was recorded at or before it
                }
            }
            int sample = lastSampleAtMost(knownAtMillis);
            from = sample < 0 ? StreamVersions.BEFORE_FIRST_POSITION : positions[sample];
        }
        long last = from;
        List<StoredEvent> page;
        do {
            page = store.readAll(last, PAGE);
            for (StoredEvent event : page) {
                if (EnvelopeDecoder.millis(event.envelope().getRecordedAt()) > knownAtMillis) {
                    return last;
                }
                last = event.globalPosition();
            }
        } while (!page.isEmpty());
        return last;
    }

    /** Scans up to {@value #STEP} more events of the log (the background's share of work); the number scanned. */
    public synchronized int catchUp() {
        load();
        return scan(STEP, Long.MAX_VALUE);
    }

    /** The position the index has scanned up to. */
    public synchronized long scannedUpTo() {
        return scannedUpTo;
    }

    public synchronized void close() {
        closeFile();
    }

    /** Reads on from {@link #scannedUpTo}: at most {@code limit} events, or until the maximum passes {@code stopAbove}. */
    private int scan(int limit, long stopAbove) {
        int scanned = 0;
        while (scanned < limit && runningMax <= stopAbove) {
            List<StoredEvent> page = store.readAll(scannedUpTo, Math.min(PAGE, limit - scanned));
            if (page.isEmpty()) {
                break;
            }
            for (StoredEvent event : page) {
                runningMax = Math.max(runningMax, EnvelopeDecoder.millis(event.envelope().getRecordedAt()));
                scannedUpTo = event.globalPosition();
                if (++sinceSample == SAMPLE_EVERY) {
                    addSample(scannedUpTo, runningMax, true);
                    sinceSample = 0;
                }
            }
            scanned += page.size();
        }
        flush();
        return scanned;
    }

    /** Index of the last sample whose running maximum is at or before {@code millis}; -1 for none. */
    private int lastSampleAtMost(long millis) {
        int low = 0;
        int high = samples;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (maxima[middle] <= millis) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low - 1;
    }

    private void addSample(long position, long max, boolean persist) {
        if (samples == positions.length) {
            positions = Arrays.copyOf(positions, samples * 2);
            maxima = Arrays.copyOf(maxima, samples * 2);
        }
        positions[samples] = position;
        maxima[samples] = max;
        samples++;
        if (persist && out != null) {
            try {
                out.writeLong(position);
                out.writeLong(max);
            } catch (IOException e) {
                LOG.warn("recorded-time index: cannot write to {} ({}); keeping it in memory only", file, e.getMessage());
                closeFile();
            }
        }
    }

    private void flush() {
        if (out != null) {
            try {
                out.flush();
            } catch (IOException e) {
                LOG.warn("recorded-time index: cannot write to {} ({}); keeping it in memory only", file, e.getMessage());
                closeFile();
            }
        }
    }

    /**
     * Resumes from the samples of an earlier run when they belong to this log (same first event), else
     * starts a new file. A torn last sample (a crash while appending) is dropped; its events are rescanned.
     */
    private void load() {
        if (loaded) {
            return;
        }
        loaded = true;
        if (file == null) {
            return;
        }
        List<StoredEvent> first = store.readAll(StreamVersions.BEFORE_FIRST_POSITION, 1);
        String firstId = first.isEmpty() ? "" : first.get(0).envelope().getEventId();
        long validBytes = 0;
        if (!firstId.isEmpty() && Files.isRegularFile(file)) {
            try (InputStream raw = Files.newInputStream(file);
                    DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw))) {
                if (in.readLong() == MAGIC && in.readUTF().equals(firstId)) {
                    validBytes = headerBytes(firstId);
                    while (true) {
                        long position = in.readLong();
                        long max = in.readLong();
                        if (samples > 0 && position <= positions[samples - 1]) {
                            break;
                        }
                        addSample(position, max, false);
                        validBytes += 2L * Long.BYTES;
                    }
                }
            } catch (EOFException endOfSamples) {
                // the usual way out: read every whole sample
            } catch (IOException e) {
                LOG.warn("recorded-time index: ignoring unreadable {} ({})", file, e.getMessage());
            }
        }
        if (samples > 0 && positions[samples - 1] > store.headPosition()) {
            LOG.info("recorded-time index: {} goes past the log's head; rebuilding it", file);
            samples = 0;
            validBytes = 0;
        }
        if (samples > 0) {
            scannedUpTo = positions[samples - 1];
            runningMax = maxima[samples - 1];
        }
        try {
            Files.createDirectories(file.getParent());
            if (validBytes == 0) {
                try (DataOutputStream header = new DataOutputStream(Files.newOutputStream(file))) {
                    header.writeLong(MAGIC);
                    header.writeUTF(firstId);
                }
                if (firstId.isEmpty()) {
                    // an empty log: start the file again once it has a first event
                    loaded = false;
                    return;
                }
            } else {
                try (var channel = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
                    channel.truncate(validBytes);
                }
            }
            OutputStream append = Files.newOutputStream(file, StandardOpenOption.APPEND);
            out = new DataOutputStream(new BufferedOutputStream(append, 1 << 14));
            if (samples > 0) {
                LOG.info("recorded-time index: resumed at position {} ({} samples)", scannedUpTo, samples);
            }
        } catch (IOException e) {
            LOG.warn("recorded-time index: cannot write {} ({}); keeping it in memory only", file, e.getMessage());
            out = null;
        }
    }

    private static long headerBytes(String firstId) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (DataOutputStream header = new DataOutputStream(bytes)) {
            header.writeLong(MAGIC);
            header.writeUTF(firstId);
        }
        return bytes.size();
    }

    private void closeFile() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                LOG.debug("recorded-time index: close failed: {}", e.getMessage());
            }
            out = null;
        }
    }
}
