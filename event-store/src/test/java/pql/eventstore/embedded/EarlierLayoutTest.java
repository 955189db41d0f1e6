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
import pql.eventstore.EventStoreUnavailableException;

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
}
