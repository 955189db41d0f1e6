package pql.eventstore.postgres;

import org.junit.jupiter.api.BeforeAll;
import pql.eventstore.EventStore;
import pql.eventstore.EventStoreContractTest;

/** The shared contract, against a real PostgreSQL server; every test reopens the same schema. */
class PostgresEventStoreContractTest extends EventStoreContractTest {

    private static PostgresStoreOptions options;

    @BeforeAll
    static void startServer() {
        options = PostgresStoreOptions.defaults(TestPostgres.options(TestPostgres.shared(), TestPostgres.freshSchema("contract")));
    }

    @Override
    protected EventStore createStore() {
        return PostgresEventStore.open(options);
    }

    @Override
    protected EventStore reopen(EventStore store) {
        store.close();
        return PostgresEventStore.open(options);
    }
}
