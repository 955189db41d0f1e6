package pql.eventstore.embedded;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import pql.eventstore.AppendRequest;
import pql.eventstore.AppendResult;
import pql.eventstore.EventStore;
import pql.eventstore.EventStoreOverloadedException;
import pql.eventstore.EventStoreUnavailableException;
import pql.eventstore.LogRecord;
import pql.eventstore.StoredEvent;
import pql.eventstore.StreamVersions;

/**
 * The default engine: RocksDB in the process, files under a local directory.
 *
 * <p>Why RocksDB: a widely deployed, crash-safe embedded store (Kafka Streams, TiKV, many
 * databases build on it) whose atomic write batches with a synced write-ahead log give exactly
 * the "durable before acknowledged" promise we need, and whose log-structured design suits an
 * append-only workload. Bloom filters make the idempotency look-up of a new event id nearly free.
 *
 * <p>A sequencer thread serialises appends in groups: every request waiting when it comes
 * around shares one write batch and one fsync (group commit). It owns the position counter,
 * stream versions and duplicate checks, so the global order is decided in one place. A committer
 * thread makes the batches durable in that order and only then moves the visible head, so readers
 * never see an event that is not durable nor a gap that fills in later. The two overlap: while
 * one batch is being synced the next is being prepared. The sequencer's decisions are in
 * {@link Sequencer}; the committer loop is here, as it owns the visible head.
 */
public final class RocksDbEventStore implements EventStore {

    static {
        RocksDB.loadLibrary();
    }

    /**
     * Memtable size of the index family. Its inserts are random (one stream after another), so
     * their cost is cache misses down the skip list; a smaller memtable is a shallower list.
     */
    static final long INDEX_WRITE_BUFFER_BYTES = 32L << 20;

    /** Streams whose version is kept in memory before the cache is cleared and refilled from the index. */
    static final int VERSION_CACHE_LIMIT = 1_000_000;
    /** Bytes of the arrays {@link #readAllRecords} copies records into (a slice of the log shares a few). */
    static final int RECORD_SLAB = 64 * 1024;

    private final EmbeddedStoreOptions options;
    private final DBOptions dbOptions;
    private final List<ColumnFamilyOptions> familyOptions = new ArrayList<>();
    private final List<ColumnFamilyHandle> handles = new ArrayList<>();
    private final RocksDB db;
    private final ColumnFamilyHandle log;
    /** Stream ranges and idempotency entries, one family (see {@link RocksDbKeys}). */
    private final ColumnFamilyHandle index;
    private final WriteOptions durableWrite = new WriteOptions().setSync(true);

    private final LinkedBlockingQueue<PendingAppend> queue = new LinkedBlockingQueue<>();
    private final Semaphore queueRoom;
    /** Two batches in flight at most: one being made durable, one waiting behind it. */
    private final ArrayBlockingQueue<SequencedGroup> committerQueue = new ArrayBlockingQueue<>(2);
    private final ConcurrentLinkedQueue<List<IdKey>> committedIds = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlightGroups = new AtomicInteger();
    private final Thread sequencerThread;
    private final Thread committerThread;
    private volatile boolean running = true;
    private volatile Throwable writeFailure;

    /** Newest durable position; readers never look past it. */
    private final AtomicLong head = new AtomicLong();
    private final ReentrantLock headLock = new ReentrantLock();
    private final Condition headMoved = headLock.newCondition();
    /**
     * Streams' versions: added by the sequencer, their durable version set by the committer after
     * commits, read by {@link #streamVersion}. At most {@link #VERSION_CACHE_LIMIT} before it starts again.
     */
    private final Map<String, StreamHead> streamHeads = new ConcurrentHashMap<>();

    private RocksDbEventStore(EmbeddedStoreOptions options) {
        this.options = options;
        this.queueRoom = new Semaphore(options.maxQueuedEvents());
        try {
            Files.createDirectories(options.directory());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + options.directory(), e);
        }
        dbOptions = new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setMaxBackgroundJobs(2)
                .setBytesPerSync(1 << 20);
        ColumnFamilyOptions logOptions = new ColumnFamilyOptions()
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setWriteBufferSize(64L << 20)
                .setMaxWriteBufferNumber(4);
        ColumnFamilyOptions indexOptions = new ColumnFamilyOptions()
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setWriteBufferSize(INDEX_WRITE_BUFFER_BYTES)
                .setMaxWriteBufferNumber(4)
                .setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(new BloomFilter(10, false)))
                // most id look-ups are of new ids: a memtable bloom filter answers them (range entries
                // are reached by seeks, which it cannot answer, but they share the family to lie beside the ids)
                .setMemtablePrefixBloomSizeRatio(0.1)
                .setMemtableWholeKeyFiltering(true);
        ColumnFamilyOptions defaultOptions = new ColumnFamilyOptions();
        familyOptions.addAll(List.of(defaultOptions, logOptions, indexOptions));
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>(List.of(
                new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, defaultOptions),
                new ColumnFamilyDescriptor(bytes("log"), logOptions),
                new ColumnFamilyDescriptor(bytes("stream-index"), indexOptions)));
        List<ColumnFamilyHandle> earlierHandles = new ArrayList<>();
        RocksDB opened = null;
        try {
            List<byte[]> earlier = earlierIndexFamilies(options);
            for (byte[] family : earlier) {
                descriptors.add(new ColumnFamilyDescriptor(family, defaultOptions));
            }
            opened = RocksDB.open(dbOptions, options.directory().toString(), descriptors, handles);
            earlierHandles.addAll(handles.subList(3, handles.size()));
            handles.subList(3, handles.size()).clear();
            for (int i = 0; i < earlier.size(); i++) {
                IndexFamilyMigration.migrate(opened, earlier.get(i), earlierHandles.get(i), handles.get(2));
            }
        } catch (RocksDBException | EventStoreUnavailableException e) {
            close(earlierHandles);
            close(handles);
            if (opened != null) {
                opened.close();
            }
            close(familyOptions);
            dbOptions.close();
            if (e instanceof EventStoreUnavailableException unavailable) {
                throw unavailable;
            }
            throw new EventStoreUnavailableException("cannot open the embedded store at " + options.directory()
                    + ": " + e.getMessage(), e);
        }
        close(earlierHandles);
        db = opened;
        log = handles.get(1);
        index = handles.get(2);
        head.set(lastPosition());
        sequencerThread = new Thread(this::sequenceLoop, "store-sequencer");
        committerThread = new Thread(this::commitLoop, "store-committer");
        sequencerThread.setDaemon(true);
        committerThread.setDaemon(true);
        // below the threads that serve reads: when ingest keeps every core busy, a read gets one first
        // (issue #13; Linux applies Java priorities only under -XX:ThreadPriorityPolicy=1)
        sequencerThread.setPriority(Thread.MIN_PRIORITY);
        committerThread.setPriority(Thread.MIN_PRIORITY);
        sequencerThread.start();
        committerThread.start();
    }

    /**
     * The index families of the layout before this one ("ids", "stream-ranges"), which opening
     * moves into "stream-index" ({@link IndexFamilyMigration}). Pre-release layouts had one
     * "streams" entry per event, then a "heads" entry per stream; a store written by either cannot
     * be read as this one and is refused.
     */
    private static List<byte[]> earlierIndexFamilies(EmbeddedStoreOptions options) throws RocksDBException {
        List<byte[]> earlier = new ArrayList<>();
        try (org.rocksdb.Options listing = new org.rocksdb.Options()) {
            for (byte[] family : RocksDB.listColumnFamilies(listing, options.directory().toString())) {
                if (Arrays.equals(family, bytes("streams")) || Arrays.equals(family, bytes("heads"))) {
                    throw new EventStoreUnavailableException("the embedded store at " + options.directory()
                            + " was written by a pre-release layout of its indexes; move it aside or delete it");
                }
                if (IndexFamilyMigration.isEarlierIndex(family)) {
                    earlier.add(family);
                }
            }
        }
        return earlier;
    }

    /** Opens (or creates) the store in {@code options.directory()}. One process per directory. */
    public static RocksDbEventStore open(EmbeddedStoreOptions options) {
        return new RocksDbEventStore(options);
    }

    @Override
    public String engineName() {
        return "embedded-rocksdb";
    }

    @Override
    public CompletableFuture<List<AppendResult>> appendAsync(List<AppendRequest> requests) {
        if (requests.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        if (!running) {
            return CompletableFuture.failedFuture(new EventStoreUnavailableException("the embedded store is closed"));
        }
        if (writeFailure != null) {
            return CompletableFuture.failedFuture(readOnlyFailure());
        }
        int events = requests.stream().mapToInt(r -> r.events().size()).sum();
        int permits = Math.min(events, options.maxQueuedEvents());
        if (!queueRoom.tryAcquire(permits)) {
            return CompletableFuture.failedFuture(new EventStoreOverloadedException(
                    "the embedded store's write queue is full (" + options.maxQueuedEvents() + " events)"));
        }
        // Encoding happens on the caller's thread so the sequencer only decides and copies.
        List<PreparedRequest> prepared = new ArrayList<>(requests.size());
        for (AppendRequest request : requests) {
            prepared.add(PreparedRequest.of(request));
        }
        PendingAppend pending = new PendingAppend(prepared, permits, new CompletableFuture<>());
        queue.add(pending);
        if (!running && queue.remove(pending)) {
            queueRoom.release(permits);
            pending.result().completeExceptionally(new EventStoreUnavailableException("the embedded store is closed"));
        }
        return pending.result();
    }

    private EventStoreUnavailableException readOnlyFailure() {
        return new EventStoreUnavailableException(
                "the embedded store failed to write and is read-only until restarted: " + writeFailure.getMessage(), writeFailure);
    }

    /**
     * Takes every append waiting, decides versions, duplicates and positions, and hands the
     * write batch to the committer; while one batch is being made durable the next is prepared.
     */
    private void sequenceLoop() {
        Sequencer sequencer = new Sequencer(db, log, index, committedIds, inFlightGroups, streamHeads,
                head.get());
        List<PendingAppend> group = new ArrayList<>();
        try {
            while (running || !queue.isEmpty()) {
                PendingAppend first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                int events = first.permits();
                PendingAppend next;
                while (events < options.maxGroupEvents() && (next = queue.poll()) != null) {
                    group.add(next);
                    events += next.permits();
                }
                SequencedGroup sequenced;
                try {
                    sequenced = sequencer.sequence(List.copyOf(group));
                } catch (RuntimeException | RocksDBException e) {
                    fail(group, e);
                    continue;
                } finally {
                    group.clear();
                }
                committerQueue.put(sequenced);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            handToCommitter(SequencedGroup.END);
        }
    }

    /** Waits for room even when interrupted: the committer must see END or close() waits for it in vain. */
    private void handToCommitter(SequencedGroup last) {
        boolean interrupted = false;
        while (true) {
            try {
                committerQueue.put(last);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Makes sequenced batches durable, in order, then visible. */
    private void commitLoop() {
        while (true) {
            SequencedGroup sequenced;
            try {
                sequenced = committerQueue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (sequenced == SequencedGroup.END) {
                return;
            }
            try (WriteBatch batch = sequenced.batch()) {
                if (writeFailure != null) {
                    fail(sequenced.group(), writeFailure);
                    continue;
                }
                if (batch.count() > 0) {
                    db.write(durableWrite, batch);
                }
                publish(sequenced);
            } catch (RocksDBException | RuntimeException e) {
                writeFailure = e;
                fail(sequenced.group(), e);
            } finally {
                inFlightGroups.decrementAndGet();
            }
        }
    }

    private void publish(SequencedGroup sequenced) {
        sequenced.versions().publish();
        committedIds.add(sequenced.newIds());
        headLock.lock();
        try {
            head.set(sequenced.lastPosition());
            headMoved.signalAll();
        } finally {
            headLock.unlock();
        }
        for (int i = 0; i < sequenced.group().size(); i++) {
            PendingAppend pending = sequenced.group().get(i);
            queueRoom.release(pending.permits());
            pending.result().complete(sequenced.results().get(i));
        }
    }

    private void fail(List<PendingAppend> group, Throwable cause) {
        EventStoreUnavailableException failure = cause instanceof EventStoreUnavailableException unavailable
                ? unavailable
                : new EventStoreUnavailableException("the embedded store could not write: " + cause.getMessage(), cause);
        for (PendingAppend pending : group) {
            queueRoom.release(pending.permits());
            pending.result().completeExceptionally(failure);
        }
    }

    @Override
    public long streamVersion(String streamId) {
        StreamHead cached = streamHeads.get(streamId);
        if (cached != null) {
            return cached.durable;
        }
        try (RocksIterator ranges = db.newIterator(index)) {
            return lastVersion(ranges, streamId);
        }
    }

    /** The stream's version, from its last range entry: there is no separate head entry to write per append. */
    static long lastVersion(RocksIterator ranges, String streamId) {
        byte[] stream = streamId.getBytes(StandardCharsets.UTF_8);
        byte[] prefix = RocksDbKeys.streamPrefix(stream);
        ranges.seekForPrev(RocksDbKeys.streamEntry(stream, Long.MAX_VALUE));
        if (!ranges.isValid() || !isStreamEntry(ranges.key(), prefix)) {
            return StreamVersions.NONE;
        }
        long firstVersion = ByteBuffer.wrap(ranges.key(), prefix.length, Long.BYTES).getLong();
        return firstVersion + RocksDbKeys.rangeCount(ranges.value()) - 1;
    }

    @Override
    public List<StoredEvent> readStream(String streamId, long fromVersion, int maxCount) {
        requirePositiveCount(maxCount);
        byte[] stream = streamId.getBytes(StandardCharsets.UTF_8);
        byte[] prefix = RocksDbKeys.streamPrefix(stream);
        long from = Math.max(0, fromVersion);
        List<byte[]> positions = new ArrayList<>();
        long visibleHead = head.get();
        try (RocksIterator it = db.newIterator(index)) {
            // the range holding `from` starts at or before it
            it.seekForPrev(RocksDbKeys.streamEntry(stream, from));
            if (!it.isValid() || !isStreamEntry(it.key(), prefix)) {
                it.seek(RocksDbKeys.streamEntry(stream, from));
            }
            collect:
            for (; it.isValid() && positions.size() < maxCount; it.next()) {
                byte[] key = it.key();
                if (!isStreamEntry(key, prefix)) {
                    break;
                }
                long firstVersion = ByteBuffer.wrap(key, prefix.length, Long.BYTES).getLong();
                long firstPosition = RocksDbKeys.rangeStart(it.value());
                int count = RocksDbKeys.rangeCount(it.value());
                for (long version = Math.max(from, firstVersion); version < firstVersion + count; version++) {
                    long position = firstPosition + (version - firstVersion);
                    if (position > visibleHead || positions.size() >= maxCount) {
                        break collect;
                    }
                    positions.add(RocksDbKeys.position(position));
                }
            }
        }
        if (positions.isEmpty()) {
            return List.of();
        }
        List<ColumnFamilyHandle> families = new ArrayList<>(positions.size());
        for (int i = 0; i < positions.size(); i++) {
            families.add(log);
        }
        try {
            List<byte[]> records = db.multiGetAsList(families, positions);
            List<StoredEvent> events = new ArrayList<>(records.size());
            for (int i = 0; i < records.size(); i++) {
                events.add(RocksDbKeys.storedEvent(RocksDbKeys.position(positions.get(i)), records.get(i)));
            }
            return events;
        } catch (RocksDBException e) {
            throw new EventStoreUnavailableException("cannot read stream " + streamId + ": " + e.getMessage(), e);
        }
    }

    /**
     * The log's records as they are stored, no envelope parsed: the values are copied side by side into
     * shared arrays of {@value #RECORD_SLAB} bytes (one JNI copy each, no array per event).
     */
    @Override
    public List<LogRecord> readAllRecords(long afterPosition, int maxCount) {
        requirePositiveCount(maxCount);
        long visibleHead = head.get();
        if (afterPosition >= visibleHead) {
            return List.of();
        }
        List<LogRecord> records = new ArrayList<>((int) Math.min(maxCount, visibleHead - afterPosition));
        try (ReadOptions readOptions = new ReadOptions().setReadaheadSize(2 << 20);
                RocksIterator it = db.newIterator(log, readOptions)) {
            byte[] key = new byte[Long.BYTES];
            byte[] slab = new byte[RECORD_SLAB];
            int used = 0;
            for (it.seek(RocksDbKeys.position(afterPosition + 1)); it.isValid() && records.size() < maxCount; it.next()) {
                long position = it.key(key) == Long.BYTES ? RocksDbKeys.position(key) : RocksDbKeys.position(it.key());
                if (position > visibleHead) {
                    break;
                }
                int size = it.value(slab, used, slab.length - used);
                if (size > slab.length - used) {
                    slab = new byte[Math.max(RECORD_SLAB, size)];
                    used = 0;
                    it.value(slab, 0, size);
                }
                records.add(RocksDbKeys.logRecordAt(position, slab, used, size));
                used += size;
            }
        }
        return records;
    }

    @Override
    public List<StoredEvent> readAll(long afterPosition, int maxCount) {
        requirePositiveCount(maxCount);
        long visibleHead = head.get();
        if (afterPosition >= visibleHead) {
            return List.of();
        }
        List<StoredEvent> events = new ArrayList<>((int) Math.min(maxCount, visibleHead - afterPosition));
        try (ReadOptions readOptions = new ReadOptions().setReadaheadSize(2 << 20);
                RocksIterator it = db.newIterator(log, readOptions)) {
            for (it.seek(RocksDbKeys.position(afterPosition + 1)); it.isValid() && events.size() < maxCount; it.next()) {
                long position = RocksDbKeys.position(it.key());
                if (position > visibleHead) {
                    break;
                }
                events.add(RocksDbKeys.storedEvent(position, it.value()));
            }
        }
        return events;
    }

    @Override
    public long headPosition() {
        return head.get();
    }

    @Override
    public boolean awaitAfter(long afterPosition, Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        headLock.lock();
        try {
            while (head.get() <= afterPosition) {
                if (nanos <= 0 || !running) {
                    return false;
                }
                nanos = headMoved.awaitNanos(nanos);
            }
            return true;
        } finally {
            headLock.unlock();
        }
    }

    @Override
    public boolean isAvailable() {
        return running && writeFailure == null;
    }

    private long lastPosition() {
        try (RocksIterator it = db.newIterator(log)) {
            it.seekToLast();
            return it.isValid() ? RocksDbKeys.position(it.key()) : StreamVersions.BEFORE_FIRST_POSITION;
        }
    }

    private static boolean isStreamEntry(byte[] key, byte[] prefix) {
        return key.length == prefix.length + Long.BYTES && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static void requirePositiveCount(int maxCount) {
        if (maxCount < 1) {
            throw new IllegalArgumentException("maxCount must be >= 1");
        }
    }

    private static byte[] bytes(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    private static void close(List<? extends AutoCloseable> resources) {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception ignored) {
                // closing native handles: nothing sensible to do on failure
            }
        }
    }

    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        headLock.lock();
        try {
            headMoved.signalAll();
        } finally {
            headLock.unlock();
        }
        try {
            sequencerThread.join(TimeUnit.SECONDS.toMillis(30));
            committerThread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close(handles);
        db.close();
        durableWrite.close();
        dbOptions.close();
        close(familyOptions);
    }
}
