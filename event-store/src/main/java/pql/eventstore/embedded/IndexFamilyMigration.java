package pql.eventstore.embedded;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Moves a store written with one column family per index (the layout until 2026-12-03: "ids" and
 * "stream-ranges", keys without a tag) into the shared index family of {@link RocksDbKeys}, then
 * drops the earlier families. It runs while the store opens, before any append. A crash part-way
 * leaves an earlier family in place and the next open copies it again: putting the same key and
 * value twice changes nothing, and nothing else writes to the index before the copy is done.
 */
final class IndexFamilyMigration {

    static final byte[] IDS = bytes("ids");
    static final byte[] STREAM_RANGES = bytes("stream-ranges");
    private static final int ENTRIES_PER_BATCH = 10_000;

    private IndexFamilyMigration() {
    }

    static boolean isEarlierIndex(byte[] family) {
        return Arrays.equals(family, IDS) || Arrays.equals(family, STREAM_RANGES);
    }

    /** Copies every entry of {@code earlier} (named {@code family}) into {@code index}, durably, then drops it. */
    static void migrate(RocksDB db, byte[] family, ColumnFamilyHandle earlier, ColumnFamilyHandle index)
            throws RocksDBException {
        byte tag = Arrays.equals(family, IDS) ? RocksDbKeys.ID_TAG : RocksDbKeys.RANGE_TAG;
        try (WriteOptions durable = new WriteOptions().setSync(true);
                RocksIterator entries = db.newIterator(earlier);
                WriteBatch batch = new WriteBatch()) {
            byte[] lastStream = null;
            for (entries.seekToFirst(); entries.isValid(); entries.next()) {
                byte[] key = entries.key();
                batch.put(index, RocksDbKeys.tagged(key, tag), entries.value());
                byte[] stream = tag == RocksDbKeys.RANGE_TAG ? RocksDbKeys.streamOf(key) : null;
                if (stream != null && !Arrays.equals(stream, lastStream)) {
                    // every stream with a range has events: it gets the marker its first append would have written
                    batch.put(index, RocksDbKeys.streamMarker(stream), new byte[0]);
                    lastStream = stream;
                }
                if (batch.count() >= ENTRIES_PER_BATCH) {
                    db.write(durable, batch);
                    batch.clear();
                }
            }
            entries.status();
            if (batch.count() > 0) {
                db.write(durable, batch);
            }
        }
        db.dropColumnFamily(earlier);
    }

    private static byte[] bytes(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }
}
