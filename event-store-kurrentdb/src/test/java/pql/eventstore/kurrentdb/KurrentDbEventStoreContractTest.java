package pql.eventstore.kurrentdb;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import pql.eventstore.EventStore;
import pql.eventstore.EventStoreContractTest;
import pql.eventstore.kurrentdb.server.InProcessKurrentDb;

/**
 * The shared contract against the in-process KurrentDB protocol server: the official client, over
 * real gRPC on a loopback port, to a server with KurrentDB's semantics (see InProcessKurrentDb).
 */
class KurrentDbEventStoreContractTest extends EventStoreContractTest {

    private static InProcessKurrentDb server;

    @BeforeAll
    static void startServer() {
        server = InProcessKurrentDb.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Override
    protected EventStore createStore() {
        return KurrentDbEventStore.open(KurrentDbStoreOptions.of(server.connectionString()));
    }

    @Override
    protected EventStore reopen(EventStore store) {
        store.close();
        return createStore();
    }
}
