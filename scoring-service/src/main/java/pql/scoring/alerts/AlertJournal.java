package pql.scoring.alerts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The alerts' durable outbox and delivery cursor: an append-only file of one line per fact, each
 * with its CRC32 (a line torn by a crash is ignored, and so is everything after it).
 *
 * <pre>
 *   P sub alertId atMillis pendingSince base64(PqlTransition proto)   an alert to deliver
 *   D sub alertId atMillis                                            delivered
 *   K sub alertId atMillis                                            parked (gave up)
 *   F sub alertId atMillis                                            filtered out at delivery
 *   S sub count                                                       summaries posted so far
 *   X sub                                                             subscription removed
 * </pre>
 *
 * A pending line is written (and forced to disk) before {@link #pend} returns, on the projection's
 * thread: the projection cannot checkpoint past the event of an alert that is not in the journal yet.
 * Alert ids already journaled for a subscription are remembered, so an alert derived again (a
 * restart replaying from an older checkpoint) is not delivered twice. Ids of alerts older than the
 * freshness window are forgotten at compaction: a replay finds those old, and summarises them.
 */
public final class AlertJournal implements AutoCloseable {

    /** An alert waiting for delivery to one subscription. */
    public record Pending(String subscriptionId, String alertId, long at, long pendingSince, byte[] transition) {
    }

    /** Counters of one subscription, from the journal. */
    public record Counts(long delivered, long parked, long summaries) {
    }

    private static final int COMPACT_EVERY = 50_000;

    private final Path file;
    private final int compactEvery;
    private FileChannel channel;
    /** sub -> alert id -> instant of the alert (epoch ms), for de-duplication. */
    private final Map<String, Map<String, Long>> known = new HashMap<>();
    private final Map<String, LinkedHashMap<String, Pending>> pending = new HashMap<>();
    private final Map<String, long[]> counts = new HashMap<>();
    private int linesSinceCompaction;

    public AlertJournal(Path file) {
        this(file, COMPACT_EVERY);
    }

    /** @param compactEvery lines after which {@link #compactIfLarge} rewrites the file */
    AlertJournal(Path file, int compactEvery) {
        this.file = file;
        this.compactEvery = compactEvery;
        try {
            Files.createDirectories(file.getParent());
            if (Files.exists(file)) {
                load();
            }
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the alert journal " + file, e);
        }
    }

    private void load() throws IOException {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int space = line.indexOf(' ');
            if (space < 0) {
                break;
            }
            String body = line.substring(space + 1);
            long crc;
            try {
                crc = Long.parseLong(line.substring(0, space), 16);
            } catch (NumberFormatException torn) {
                break;
            }
            if (crc != crc(body)) {
                break; // torn by a crash: nothing after it was acknowledged either
            }
            replay(body.split(" "));
            linesSinceCompaction++;
        }
    }

    private void replay(String[] f) {
        switch (f[0]) {
            case "P" -> {
                known(f[1]).put(f[2], Long.parseLong(f[3]));
                pending.computeIfAbsent(f[1], s -> new LinkedHashMap<>()).put(f[2], new Pending(f[1], f[2],
                        Long.parseLong(f[3]), Long.parseLong(f[4]), Base64.getDecoder().decode(f[5])));
            }
            case "D", "K", "F" -> {
                known(f[1]).put(f[2], Long.parseLong(f[3]));
                var queue = pending.get(f[1]);
                if (queue != null) {
                    queue.remove(f[2]);
                }
                long[] c = counts.computeIfAbsent(f[1], s -> new long[3]);
                if (f[0].equals("D")) {
                    c[0]++;
                } else if (f[0].equals("K")) {
                    c[1]++;
                }
            }
            case "C" -> {
                long[] c = counts.computeIfAbsent(f[1], s -> new long[3]);
                c[0] = Long.parseLong(f[2]);
                c[1] = Long.parseLong(f[3]);
                c[2] = Long.parseLong(f[4]);
            }
            case "S" -> counts.computeIfAbsent(f[1], s -> new long[3])[2] = Long.parseLong(f[2]);
            case "X" -> {
                known.remove(f[1]);
                pending.remove(f[1]);
                counts.remove(f[1]);
            }
            default -> { }
        }
    }

    private Map<String, Long> known(String subscriptionId) {
        return known.computeIfAbsent(subscriptionId, s -> new HashMap<>());
    }

    /**
     * Records an alert to deliver, durably, unless this subscription already has it.
     *
     * @return false for an alert journaled before (a replay found it again)
     */
    public synchronized boolean pend(String subscriptionId, String alertId, long at, long nowMillis, byte[] transition) {
        Map<String, Long> ids = known(subscriptionId);
        if (ids.containsKey(alertId)) {
            return false;
        }
        write("P " + subscriptionId + " " + alertId + " " + at + " " + nowMillis + " "
                + Base64.getEncoder().encodeToString(transition), true);
        ids.put(alertId, at);
        pending.computeIfAbsent(subscriptionId, s -> new LinkedHashMap<>()).put(alertId,
                new Pending(subscriptionId, alertId, at, nowMillis, transition));
        return true;
    }

    /** The oldest alert pending for the subscription, or null. */
    public synchronized Pending head(String subscriptionId) {
        var queue = pending.get(subscriptionId);
        return queue == null || queue.isEmpty() ? null : queue.values().iterator().next();
    }

    public synchronized int pendingCount(String subscriptionId) {
        var queue = pending.get(subscriptionId);
        return queue == null ? 0 : queue.size();
    }

    public synchronized void delivered(Pending alert) {
        settle("D", alert, 0);
    }

    public synchronized void parked(Pending alert) {
        settle("K", alert, 1);
    }

    /** The subscription's filter did not want it after all (size or persona, known at delivery). */
    public synchronized void filteredOut(Pending alert) {
        settle("F", alert, -1);
    }

    private void settle(String type, Pending alert, int counter) {
        var queue = pending.get(alert.subscriptionId());
        if (queue == null || queue.remove(alert.alertId()) == null) {
            return;
        }
        write(type + " " + alert.subscriptionId() + " " + alert.alertId() + " " + alert.at(), true);
        if (counter >= 0) {
            counts.computeIfAbsent(alert.subscriptionId(), s -> new long[3])[counter]++;
        }
    }

    public synchronized void summaryPosted(String subscriptionId) {
        long[] c = counts.computeIfAbsent(subscriptionId, s -> new long[3]);
        c[2]++;
        write("S " + subscriptionId + " " + c[2], false);
    }

    public synchronized void removed(String subscriptionId) {
        write("X " + subscriptionId, true);
        known.remove(subscriptionId);
        pending.remove(subscriptionId);
        counts.remove(subscriptionId);
    }

    public synchronized Counts counts(String subscriptionId) {
        long[] c = counts.getOrDefault(subscriptionId, new long[3]);
        return new Counts(c[0], c[1], c[2]);
    }

    /**
     * Rewrites the journal with what is still needed: pending alerts, counters, and the ids of alerts
     * at or after {@code forgetBefore} (older ones cannot come back as news). Atomic (temp file, rename).
     */
    public synchronized void compactIfLarge(long forgetBefore) {
        if (linesSinceCompaction < compactEvery) {
            return;
        }
        List<String> lines = new ArrayList<>();
        counts.forEach((sub, c) -> lines.add("C " + sub + " " + c[0] + " " + c[1] + " " + c[2]));
        known.forEach((sub, ids) -> {
            var queue = pending.getOrDefault(sub, new LinkedHashMap<>());
            ids.entrySet().removeIf(id -> id.getValue() < forgetBefore && !queue.containsKey(id.getKey()));
            // settled ids, remembered as filtered-out ones: they count nothing on reload
            ids.forEach((id, at) -> {
                if (!queue.containsKey(id)) {
                    lines.add("F " + sub + " " + id + " " + at);
                }
            });
        });
        pending.forEach((sub, queue) -> queue.values().forEach(p -> lines.add("P " + sub + " " + p.alertId() + " "
                + p.at() + " " + p.pendingSince() + " " + Base64.getEncoder().encodeToString(p.transition()))));
        try {
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                for (String line : lines) {
                    writeLine(out, line);
                }
                out.force(true);
            }
            channel.close();
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            linesSinceCompaction = lines.size();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compact the alert journal " + file, e);
        }
    }

    private void write(String body, boolean force) {
        try {
            writeLine(channel, body);
            if (force) {
                channel.force(false);
            }
            linesSinceCompaction++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the alert journal " + file, e);
        }
    }

    private static void writeLine(FileChannel out, String body) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap((Long.toHexString(crc(body)) + " " + body + "\n").getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
    }

    private static long crc(String body) {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing: nothing left to write
        }
    }
}
