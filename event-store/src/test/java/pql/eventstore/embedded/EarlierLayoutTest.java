package pql.eventstore.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import pql.eventstore.AppendRequest;
import pql.eventstore.AppendResult;
import pql.eventstore.EventStoreUnavailableException;
import pql.eventstore.ExpectedVersion;
import pql.eventstore.StoredEvent;
import pql.eventstore.TestEvents;
import pql.v1.EventEnvelope;

/** Stores written by earlier layouts of the embedded engine's indexes: moved into this one, or refused. */
class EarlierLayoutTest {

    @TempDir
    Path directory;

    @ParameterizedTest
    @ValueSource(strings = {"streams", "heads"})
    void aStoreOfAnEarlierLayoutIsRefusedWithWhatToDo(String earlierFamily) throws Exception {
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
                RocksDB db = RocksDB.open(options, directory.toString(), List.of(
                        new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY),
                        new ColumnFamilyDescriptor(earlierFamily.getBytes(StandardCharsets.UTF_8))), handles)) {
            handles.forEach(ColumnFamilyHandle::close);
        }

        assertThatThrownBy(() -> RocksDbEventStore.open(EmbeddedStoreOptions.defaults(directory)))
                .isInstanceOf(EventStoreUnavailableException.class)
                .hasMessageContaining(directory.toString())
                .hasMessageContaining("pre-release layout")
                .hasMessageContaining("move it aside or delete it");
    }

    @Test
    void aNewDirectoryOpensAndReopens() {
        RocksDbEventStore.open(EmbeddedStoreOptions.defaults(directory)).close();
        try (RocksDbEventStore reopened = RocksDbEventStore.open(EmbeddedStoreOptions.defaults(directory))) {
            assertThat(reopened.headPosition()).isEqualTo(pql.eventstore.StreamVersions.BEFORE_FIRST_POSITION);
        }
    }

    @Test
    void aStoreWithOneFamilyPerIndexIsMovedIntoTheSharedIndexAndReadsAsBefore() throws Exception {
        String first = TestEvents.uniqueStream("moved");
        String second = TestEvents.uniqueStream("moved");
        List<StoredEvent> before;
        try (RocksDbEventStore store = RocksDbEventStore.open(EmbeddedStoreOptions.defaults(directory))) {
            store.append(List.of(
                    new AppendRequest(first, ExpectedVersion.ANY, List.of(event("a1", first), event("a2", first))),
                    new AppendRequest(second, ExpectedVersion.ANY, List.of(event("b1", second)))));
            store.append(List.of(new AppendRequest(first, ExpectedVersion.ANY, List.of(event("a3", first)))));
            before = store.readAll(-1, 100);
        }
        writeBackAsTheLayoutWithOneFamilyPerIndex();

        try (RocksDbEventStore moved = RocksDbEventStore.open(EmbeddedStoreOptions.defaults(directory))) {
            assertThat(moved.readAll(-1, 100)).isEqualTo(before);
            assertThat(moved.streamVersion(first)).isEqualTo(2);
            assertThat(moved.readStream(first, 1, 10)).extracting(StoredEvent::streamVersion).containsExactly(1L, 2L);
            AppendResult again = moved.append(List.of(new AppendRequest(first, ExpectedVersion.ANY,
                    List.of(event("a2", first), event("a4", first))))).get(0);
            assertThat(again.events().get(0).duplicate()).isTrue();
            assertThat(again.events().get(1).streamVersion()).isEqualTo(3);
        }
        assertThat(familyNames()).containsExactlyInAnyOrder("default", "log", "stream-index");
    }

    private static EventEnvelope event(String id, String stream) {
        return TestEvents.action(id, stream);
    }

    /** Moves the shared index's entries back into "ids" and "stream-ranges", without their tag, as that layout kept them. */
    private void writeBackAsTheLayoutWithOneFamilyPerIndex() throws Exception {
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions().setCreateMissingColumnFamilies(true);
                RocksDB db = RocksDB.open(options, directory.toString(), List.of(
                        new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY),
                        new ColumnFamilyDescriptor(name("log")),
                        new ColumnFamilyDescriptor(name("stream-index")),
                        new ColumnFamilyDescriptor(name("ids")),
                        new ColumnFamilyDescriptor(name("stream-ranges"))), handles);
                WriteOptions sync = new WriteOptions().setSync(true);
                WriteBatch batch = new WriteBatch();
                RocksIterator entries = db.newIterator(handles.get(2))) {
            for (entries.seekToFirst(); entries.isValid(); entries.next()) {
                byte[] key = entries.key();
                int nul = 0;
                while (key[nul] != 0) {
                    nul++;
                }
                byte[] untagged = new byte[key.length - 1];
                System.arraycopy(key, 0, untagged, 0, nul + 1);
                System.arraycopy(key, nul + 2, untagged, nul + 1, key.length - nul - 2);
                batch.put(handles.get(key[nul + 1] == RocksDbKeys.ID_TAG ? 3 : 4), untagged, entries.value());
            }
            db.write(sync, batch);
            db.dropColumnFamily(handles.get(2));
            handles.forEach(ColumnFamilyHandle::close);
        }
        assertThat(familyNames()).containsExactlyInAnyOrder("default", "log", "ids", "stream-ranges");
    }

    private List<String> familyNames() throws Exception {
        try (org.rocksdb.Options options = new org.rocksdb.Options()) {
            return RocksDB.listColumnFamilies(options, directory.toString()).stream()
                    .map(family -> new String(family, StandardCharsets.UTF_8)).toList();
        }
    }

    private static byte[] name(String family) {
        return family.getBytes(StandardCharsets.UTF_8);
    }
}
