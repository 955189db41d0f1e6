package pql.eventstore.embedded;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import pql.eventstore.EventStore;
import pql.eventstore.EventStoreContractTest;

class RocksDbEventStoreContractTest extends EventStoreContractTest {

    @TempDir
    Path directory;

    @Override
    protected EventStore createStore() {
        return RocksDbEventStore.open(EmbeddedStoreOptions.defaults(directory.resolve("events")));
    }

    @Override
    protected EventStore reopen(EventStore store) {
        store.close();
        return createStore();
    }
}
